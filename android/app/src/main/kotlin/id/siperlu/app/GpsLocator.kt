/*
 * A fresh GPS fix for one check-in, from LocationManager's GPS provider. The app never reads
 * the last-known location, and it skips a delivered fix older than five seconds, because the
 * fix must be taken now, at the place of the check-in.
 */
package id.siperlu.app

import android.annotation.SuppressLint
import android.content.Context
import android.location.Location
import android.location.LocationListener
import android.location.LocationManager
import android.os.Build
import android.os.Bundle
import android.os.Handler
import android.os.Looper
import android.os.SystemClock

/** Requests single fresh fixes from the GPS provider. Callbacks arrive on the main thread. */
class GpsLocator(context: Context) {
    private val manager: LocationManager = context.getSystemService(LocationManager::class.java)
    private val mainHandler = Handler(Looper.getMainLooper())
    private var listener: LocationListener? = null

    /** Whether the ASN has location (GPS) turned on. */
    val isGpsEnabled: Boolean get() = manager.isProviderEnabled(LocationManager.GPS_PROVIDER)

    /**
     * Starts GPS updates and passes the first fix at most five seconds old to [onFix], or null
     * after [timeoutMs]. The caller must hold ACCESS_FINE_LOCATION. A new request cancels the
     * previous one.
     */
    @SuppressLint("MissingPermission")
    fun requestFreshFix(timeoutMs: Long, onFix: (Location?) -> Unit) {
        cancel()
        val request = object : LocationListener {
            override fun onLocationChanged(location: Location) {
                if (listener !== this) {
                    return
                }
                // A fix computed before the request (a cached one) is skipped, because the
                // check-in needs the place where the ASN is now.
                val reading = readLocation(location, Build.VERSION.SDK_INT)
                if (readingAgeMs(reading, SystemClock.elapsedRealtimeNanos()) > MAX_FIX_AGE_MS) {
                    return
                }
                cancel()
                onFix(location)
            }

            // Before API 30 these three were abstract, so a listener without them fails on older phones.
            override fun onProviderEnabled(provider: String) = Unit

            override fun onProviderDisabled(provider: String) = Unit

            @Deprecated("Deprecated in API 29 but still called before API 30")
            @Suppress("DEPRECATION", "OVERRIDE_DEPRECATION")
            override fun onStatusChanged(provider: String?, status: Int, extras: Bundle?) = Unit
        }
        listener = request
        manager.requestLocationUpdates(LocationManager.GPS_PROVIDER, 0L, 0f, request, Looper.getMainLooper())
        mainHandler.postDelayed({
            if (listener === request) {
                cancel()
                onFix(null)
            }
        }, timeoutMs)
    }

    /** Stops a running request. Its callback is not called. */
    fun cancel() {
        listener?.let(manager::removeUpdates)
        listener = null
    }

    companion object {
        /** Oldest fix accepted, by the elapsed clock; a GPS chip typically reports once a second. */
        private const val MAX_FIX_AGE_MS = 5_000L
    }
}
