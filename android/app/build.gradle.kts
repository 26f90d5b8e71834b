// The Siperlu app: the Kotlin shell in src/main/kotlin, the Kotlin bindings generated from the
// Rust core, libsiperlu_ffi.so built for the phone with cargo-ndk, libonnxruntime.so from the
// ONNX Runtime Android AAR, and the five face models as assets from the cache that
// scripts/setup fills. Nothing generated or fetched is committed.
import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
}

val repoRoot: File = rootDir.parentFile
val cacheDir = File(repoRoot, ".cache")
val generatedBindingsDir = File(repoRoot, "bindings/kotlin/src/main/kotlin/generated")
val rustLibsDir = layout.buildDirectory.dir("generated/jniLibs/rust")
val onnxRuntimeLibsDir = layout.buildDirectory.dir("generated/jniLibs/onnxruntime")
val modelAssetsDir = layout.buildDirectory.dir("generated/modelAssets")

/** The phone ABIs: 64-bit ARM for most phones sold since 2019, 32-bit ARM for older and the cheapest ones. */
val targetAbis = listOf("arm64-v8a", "armeabi-v7a")

/**
 * ONNX Runtime for Android. The core's `ort` crate is built against C API version 31
 * (feature `api-31`), so the AAR must be 1.31 or newer; 1.32.0 matches models/manifest.toml.
 * NOTE: the Maven Central mirror used in development returned "not found" for every
 * onnxruntime-android version, so this version has not been resolved.
 */
val onnxRuntimeVersion = "1.32.0"

val onnxRuntimeAar: Configuration by configurations.creating {
    isTransitive = false
}

android {
    namespace = "id.siperlu.app"
    compileSdk = 34
    // NDK r27c, for cargo-ndk; any NDK that supports API 26 works.
    ndkVersion = "27.2.12479018"

    defaultConfig {
        applicationId = "id.siperlu.app"
        // API 26 (Android 8.0) gives java.time without core library desugaring; Keystore
        // AES-GCM (API 23), BOOT_COUNT (API 24) and JobScheduler network constraints come with
        // it. Going down to 24 would add Android 7 phones at the cost of desugaring.
        minSdk = 26
        targetSdk = 34
        versionCode = 1
        versionName = "0.1.0"
        ndk {
            abiFilters += targetAbis
        }
    }

    sourceSets {
        getByName("main") {
            java.srcDirs("src/main/kotlin", generatedBindingsDir)
            jniLibs.srcDirs(rustLibsDir, onnxRuntimeLibsDir)
            assets.srcDir(modelAssetsDir)
        }
    }

    packaging {
        jniLibs {
            // The core opens libonnxruntime.so by file path, so the libraries must be extracted
            // on install (the manifest sets extractNativeLibs="true" to match).
            useLegacyPackaging = true
        }
    }

    androidResources {
        // Models are copied out of the APK on first start; storing them uncompressed speeds that up.
        noCompress += listOf("onnx", "toml")
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    buildTypes {
        getByName("release") {
            // JNA and the UniFFI bindings find classes by reflection, so R8 stays off until keep
            // rules are written and tested on a phone.
            isMinifyEnabled = false
        }
    }
}

kotlin {
    compilerOptions {
        jvmTarget.set(JvmTarget.JVM_17)
        allWarningsAsErrors.set(true)
    }
}

dependencies {
    // The AAR carries libjnidispatch.so for each ABI; the same JNA version as the JVM tests.
    implementation("net.java.dev.jna:jna:5.19.1@aar")
    onnxRuntimeAar("com.microsoft.onnxruntime:onnxruntime-android:$onnxRuntimeVersion@aar")
}

/** Builds libsiperlu_ffi.so for each phone ABI with cargo-ndk. */
val buildRustLibrary by tasks.registering(Exec::class) {
    workingDir = repoRoot
    environment("ANDROID_NDK_HOME", android.ndkDirectory.absolutePath)
    val abiArgs = targetAbis.flatMap { listOf("-t", it) }
    commandLine(
        listOf("cargo", "ndk") + abiArgs +
            listOf("--platform", "26", "-o", rustLibsDir.get().asFile.path, "build", "--release", "--locked", "-p", "siperlu-ffi", "--lib"),
    )
}

/** Regenerates the Kotlin bindings from a host build of the library (UniFFI library mode). */
val generateBindings by tasks.registering(Exec::class) {
    workingDir = repoRoot
    commandLine("scripts/kotlin-bindings", "generate")
}

/** Copies libonnxruntime.so for each ABI out of the ONNX Runtime AAR. */
val extractOnnxRuntime by tasks.registering(Copy::class) {
    from({ zipTree(onnxRuntimeAar.singleFile) }) {
        include(targetAbis.map { "jni/$it/libonnxruntime.so" })
        eachFile { path = path.removePrefix("jni/") }
        includeEmptyDirs = false
    }
    into(onnxRuntimeLibsDir)
}

/** Copies the five face models and their manifest into the APK's assets/models folder. */
val copyModelAssets by tasks.registering(Copy::class) {
    val modelsDir = File(cacheDir, "models")
    doFirst {
        val models = modelsDir.listFiles { file -> file.extension == "onnx" }.orEmpty()
        check(models.size == 5) {
            "expected 5 .onnx models in ${modelsDir.path}, found ${models.size}; run scripts/setup first"
        }
    }
    from(modelsDir) { include("*.onnx") }
    from(File(repoRoot, "models/manifest.toml"))
    into(modelAssetsDir.map { it.dir("models") })
}

tasks.named("preBuild") {
    dependsOn(buildRustLibrary, generateBindings, extractOnnxRuntime, copyModelAssets)
}
