// Gradle build of the Siperlu Android app, for a workstation with the Android SDK and NDK.
// These machines cannot fetch the SDK, so this build is not run in CI: scripts/android-check
// compiles the same Kotlin against the framework jar instead. See android/README.md.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
    plugins {
        // NOTE: versions chosen without running them here. AGP 8.x still takes the separate
        // Kotlin Android plugin, and the Kotlin version matches bindings/kotlin/pom.xml.
        id("com.android.application") version "8.13.0"
        id("org.jetbrains.kotlin.android") version "2.4.21"
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "siperlu-android"
include(":app")
