//! Routes the core's `tracing` logs to the app: Kotlin implements [`LogSink`] (on Android it
//! calls `android.util.Log`, so the lines reach logcat) and calls [`setup_logging`] once at
//! start-up. Core logs ids, never the NIP, a face template or a key; this layer adds nothing.

use std::fmt::Write as _;
use std::sync::Arc;

use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::{Layer, filter::LevelFilter};

/// Severity of a log line, most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum LogLevel {
    Error,
    Warn,
    Info,
    Debug,
    Trace,
}

/// Receives each log line; the app forwards it to logcat. Called on whatever thread logged.
#[uniffi::export(foreign)]
pub trait LogSink: Send + Sync {
    /// `target` is the Rust module (`siperlu_core::device`); `message` is the event text
    /// followed by its fields as `name=value`.
    fn log(&self, level: LogLevel, target: String, message: String);
}

/// Sends every event at `max_level` or more severe to `sink`, and logs panics through it as
/// well. Returns false, and changes nothing, when logging was already set up in this process.
#[uniffi::export]
pub fn setup_logging(sink: Arc<dyn LogSink>, max_level: LogLevel) -> bool {
    let filter = match max_level {
        LogLevel::Error => LevelFilter::ERROR,
        LogLevel::Warn => LevelFilter::WARN,
        LogLevel::Info => LevelFilter::INFO,
        LogLevel::Debug => LevelFilter::DEBUG,
        LogLevel::Trace => LevelFilter::TRACE,
    };
    let subscriber = tracing_subscriber::registry().with(SinkLayer { sink }.with_filter(filter));
    if tracing::subscriber::set_global_default(subscriber).is_err() {
        return false;
    }
    // The default hook writes to stderr, which Android discards; `guard` still turns the panic
    // into an Internal error after the hook ran.
    std::panic::set_hook(Box::new(|info| {
        tracing::error!(panic = %info, "panic in the Rust core");
    }));
    true
}

struct SinkLayer {
    sink: Arc<dyn LogSink>,
}

impl<S: tracing::Subscriber> Layer<S> for SinkLayer {
    fn on_event(&self, event: &tracing::Event<'_>, _context: Context<'_, S>) {
        let metadata = event.metadata();
        let level = match *metadata.level() {
            tracing::Level::ERROR => LogLevel::Error,
            tracing::Level::WARN => LogLevel::Warn,
            tracing::Level::INFO => LogLevel::Info,
            tracing::Level::DEBUG => LogLevel::Debug,
            tracing::Level::TRACE => LogLevel::Trace,
        };
        let mut line = LineVisitor::default();
        event.record(&mut line);
        let message = if line.fields.is_empty() {
            line.message
        } else {
            format!("{}{}", line.message, line.fields)
        };
        self.sink.log(level, metadata.target().to_string(), message);
    }
}

/// Collects an event's message and its fields into one line.
#[derive(Default)]
struct LineVisitor {
    message: String,
    fields: String,
}

impl Visit for LineVisitor {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            let _ = write!(self.fields, " {}={value}", field.name());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let _ = write!(self.fields, " {}={value:?}", field.name());
        }
    }
}
