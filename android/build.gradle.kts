// Root project of the Siperlu Android build; the app module is in app/.
plugins {
    id("com.android.application") apply false
    id("org.jetbrains.kotlin.android") apply false
}
