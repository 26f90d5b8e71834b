//! `siperlu messages`: prints the message catalog, for translators and reviewers.

use clap::Args;
use siperlu_core::messages::{self, Locale};

#[derive(Args)]
pub struct MessagesArgs {
    /// Print only this message id.
    #[arg(long)]
    id: Option<String>,
    /// Language of the text: `id` (Bahasa Indonesia) or `en`.
    #[arg(long, default_value = "id", value_parser = crate::parse_locale)]
    locale: Locale,
    /// Print a JSON array of {id, id_text, en_text} instead of text lines.
    #[arg(long)]
    json: bool,
}

pub fn run(args: MessagesArgs) -> anyhow::Result<()> {
    let locale = args.locale;
    let selected: Vec<_> = match &args.id {
        Some(id) => {
            let message = messages::lookup(id).ok_or_else(|| {
                anyhow::anyhow!("unknown message id {id:?}; run `siperlu messages` to list the ids")
            })?;
            vec![message]
        }
        None => messages::all().collect(),
    };

    if args.json {
        let rows: Vec<_> = selected
            .iter()
            .map(|m| serde_json::json!({"id": m.id, "id_text": m.id_text, "en_text": m.en_text}))
            .collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        for message in selected {
            println!("{}\t{}", message.id, message.text(locale));
        }
    }
    Ok(())
}
