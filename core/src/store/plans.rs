//! Work plan revisions in the store: each save checks the editing window, signs a new
//! revision with the device key, and keeps every earlier revision for sync and audit.

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::{Store, StoreError};
use crate::plan::{self, PlanItem, PlanRevision, SignedPlanRevision};
use crate::vault;

impl Store {
    /// Saves `items` as the next revision of `nip`'s plan for `day`, signed by the device key.
    ///
    /// `now_ms` is trusted time; the save fails with `PlanError::NotToday` or
    /// `PlanError::PastCutoff` outside the editing window of `day` in `zone`.
    pub fn save_plan(
        &mut self,
        nip: &str,
        day: NaiveDate,
        items: Vec<PlanItem>,
        now_ms: i64,
        zone: Tz,
        cutoff: NaiveTime,
    ) -> Result<SignedPlanRevision, StoreError> {
        plan::check_editable(day, now_ms, zone, cutoff)?;
        if let Some(registration) = self.registration()?
            && registration.nip != nip
        {
            return Err(StoreError::OtherNip);
        }

        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (device_id, wrapped_key) = Store::wrapped_device_key(&transaction)?;
        let last: Option<i64> = transaction
            .query_row(
                "SELECT max(revision) FROM plans WHERE nip = ?1 AND day = ?2",
                params![nip, day.to_string()],
                |row| row.get(0),
            )
            .optional()?
            .flatten();

        let revision = PlanRevision {
            device_id,
            nip: nip.to_string(),
            day,
            revision: last.unwrap_or(0) as u32 + 1,
            created_ms: now_ms,
            items,
        };
        let signed = vault::with_device_key(self.vault.as_ref(), &wrapped_key, |key_pair| {
            SignedPlanRevision::sign(&revision, key_pair)
        })??;

        transaction.execute(
            "INSERT INTO plans (nip, day, revision, bytes, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                nip,
                day.to_string(),
                revision.revision,
                signed.as_bytes(),
                now_ms
            ],
        )?;
        transaction.commit()?;
        tracing::debug!(%day, revision = revision.revision, "plan revision saved");
        Ok(signed)
    }

    /// Returns every revision of `nip`'s plan for `day`, oldest first.
    pub fn plan_revisions(
        &self,
        nip: &str,
        day: NaiveDate,
    ) -> Result<Vec<SignedPlanRevision>, StoreError> {
        let mut statement = self
            .connection
            .prepare("SELECT bytes FROM plans WHERE nip = ?1 AND day = ?2 ORDER BY revision")?;
        let rows = statement.query_map(params![nip, day.to_string()], |row| {
            row.get::<_, Vec<u8>>(0)
        })?;
        rows.map(|bytes| parse_plan(&bytes?)).collect()
    }

    /// Returns the latest revision of `nip`'s plan for `day`.
    pub fn latest_plan(
        &self,
        nip: &str,
        day: NaiveDate,
    ) -> Result<Option<SignedPlanRevision>, StoreError> {
        let bytes: Option<Vec<u8>> = self
            .connection
            .query_row(
                "SELECT bytes FROM plans WHERE nip = ?1 AND day = ?2 ORDER BY revision DESC LIMIT 1",
                params![nip, day.to_string()],
                |row| row.get(0),
            )
            .optional()?;
        bytes.map(|bytes| parse_plan(&bytes)).transpose()
    }

    /// Returns revisions not yet synced and not refused by the server, oldest first.
    pub fn unsynced_plans(&self, limit: usize) -> Result<Vec<SignedPlanRevision>, StoreError> {
        let mut statement = self.connection.prepare(
            "SELECT bytes FROM plans WHERE synced = 0 AND refused_reason_id IS NULL
             ORDER BY created_ms, revision LIMIT ?1",
        )?;
        let rows = statement.query_map([limit as i64], |row| row.get::<_, Vec<u8>>(0))?;
        rows.map(|bytes| parse_plan(&bytes?)).collect()
    }

    /// Marks one revision as stored by the server.
    pub fn mark_plan_synced(
        &mut self,
        nip: &str,
        day: NaiveDate,
        revision: u32,
    ) -> Result<(), StoreError> {
        let updated = self.connection.execute(
            "UPDATE plans SET synced = 1 WHERE nip = ?1 AND day = ?2 AND revision = ?3",
            params![nip, day.to_string(), revision],
        )?;
        if updated == 0 {
            return Err(StoreError::NotFound {
                what: "plan revision",
                id: format!("{day} #{revision}"),
            });
        }
        Ok(())
    }

    /// Marks one revision as rejected by the server for good, with the catalog id of the
    /// reason, so that sync stops sending it. `now_ms` is the phone's wall clock.
    pub fn mark_plan_refused(
        &mut self,
        nip: &str,
        day: NaiveDate,
        revision: u32,
        reason_id: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let updated = self.connection.execute(
            "UPDATE plans SET refused_reason_id = ?4, refused_ms = ?5
             WHERE nip = ?1 AND day = ?2 AND revision = ?3 AND synced = 0",
            params![nip, day.to_string(), revision, reason_id, now_ms],
        )?;
        if updated == 0 {
            return Err(StoreError::NotFound {
                what: "unsynced plan revision",
                id: format!("{day} #{revision}"),
            });
        }
        Ok(())
    }

    /// Returns the revisions the server refused, newest refusal first.
    pub fn refused_plans(&self, limit: usize) -> Result<Vec<RefusedPlan>, StoreError> {
        let mut statement = self.connection.prepare(
            "SELECT nip, day, revision, refused_reason_id, refused_ms FROM plans
             WHERE refused_reason_id IS NOT NULL
             ORDER BY refused_ms DESC, day DESC, revision DESC LIMIT ?1",
        )?;
        let rows = statement.query_map([limit as i64], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, u32>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, i64>(4)?,
            ))
        })?;
        let mut refused = Vec::new();
        for row in rows {
            let (nip, day_text, revision, reason_id, refused_ms) = row?;
            let day = NaiveDate::parse_from_str(&day_text, "%Y-%m-%d").map_err(|_| {
                StoreError::Damaged {
                    what: "plan day",
                    detail: format!("{day_text:?} is not YYYY-MM-DD"),
                }
            })?;
            refused.push(RefusedPlan {
                nip,
                day,
                revision,
                reason_id,
                refused_ms,
            });
        }
        Ok(refused)
    }
}

/// A plan revision the server refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedPlan {
    pub nip: String,
    pub day: NaiveDate,
    pub revision: u32,
    /// Catalog id of the server's reason, such as `plan.past_cutoff`.
    pub reason_id: String,
    /// When the phone stored the refusal, by its wall clock in ms since the Unix epoch.
    pub refused_ms: i64,
}

fn parse_plan(bytes: &[u8]) -> Result<SignedPlanRevision, StoreError> {
    SignedPlanRevision::from_bytes(bytes).map_err(|error| StoreError::Damaged {
        what: "plan revision",
        detail: error.to_string(),
    })
}

#[cfg(test)]
mod test {
    use super::super::test::memory_store;
    use super::*;
    use crate::plan::test::sample_plan;
    use crate::plan::{PlanError, PlanStatus};

    const NIP: &str = "199001012015031001";

    fn wib_ms(text: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(text)
            .expect("timestamp")
            .timestamp_millis()
    }

    #[test]
    fn revisions_are_numbered_and_signed() {
        let mut store = memory_store();
        let device = store.device().expect("device");
        let day = NaiveDate::from_ymd_opt(2026, 12, 5).expect("date");
        let morning_ms = wib_ms("2026-12-05T09:00:00+07:00");
        assert_eq!(
            crate::time::attendance_day(morning_ms, Tz::Asia__Jakarta),
            Ok(day)
        );

        let mut items = sample_plan(1).items;
        let first = store
            .save_plan(
                NIP,
                day,
                items.clone(),
                morning_ms,
                Tz::Asia__Jakarta,
                plan::default_cutoff(),
            )
            .expect("saves");
        items[0].status = PlanStatus::Done;
        let second = store
            .save_plan(
                NIP,
                day,
                items,
                morning_ms + 60_000,
                Tz::Asia__Jakarta,
                plan::default_cutoff(),
            )
            .expect("saves");
        assert_eq!(first.revision().revision, 1);
        assert_eq!(second.revision().revision, 2);
        second
            .verify(&device.public_key)
            .expect("signed by the device key");

        let latest = store
            .latest_plan(NIP, day)
            .expect("reads")
            .expect("present");
        assert_eq!(latest.revision().items[0].status, PlanStatus::Done);
        assert_eq!(store.plan_revisions(NIP, day).expect("reads").len(), 2);

        assert_eq!(store.unsynced_plans(10).expect("reads").len(), 2);
        store.mark_plan_synced(NIP, day, 1).expect("marks");
        assert_eq!(store.unsynced_plans(10).expect("reads").len(), 1);
    }

    #[test]
    fn yesterday_plan_is_closed() {
        let mut store = memory_store();
        let day = NaiveDate::from_ymd_opt(2026, 12, 4).expect("date");
        let now_ms = wib_ms("2026-12-05T09:00:00+07:00");
        let error = store
            .save_plan(
                NIP,
                day,
                sample_plan(1).items,
                now_ms,
                Tz::Asia__Jakarta,
                plan::default_cutoff(),
            )
            .expect_err("yesterday");
        assert!(
            matches!(error, StoreError::Plan(PlanError::NotToday { .. })),
            "{error:?}"
        );
    }

    #[test]
    fn plan_for_another_nip_is_refused() {
        let mut store = memory_store();
        store
            .save_registration(&crate::store::Registration {
                nip: NIP.to_string(),
                server_url: None,
                registered_ms: None,
                template_id: None,
            })
            .expect("registers");
        let day = NaiveDate::from_ymd_opt(2026, 12, 5).expect("date");
        let now_ms = wib_ms("2026-12-05T09:00:00+07:00");
        let save = |store: &mut Store, nip: &str| {
            store.save_plan(
                nip,
                day,
                sample_plan(1).items,
                now_ms,
                Tz::Asia__Jakarta,
                plan::default_cutoff(),
            )
        };

        let error = save(&mut store, "198503152010011002").expect_err("another ASN's plan");
        assert!(matches!(error, StoreError::OtherNip), "{error:?}");
        assert!(store.unsynced_plans(10).expect("reads").is_empty());
        save(&mut store, NIP).expect("the phone's own NIP saves");
    }

    #[test]
    fn refused_plan_not_resent() {
        let mut store = memory_store();
        let day = NaiveDate::from_ymd_opt(2026, 12, 5).expect("date");
        let morning_ms = wib_ms("2026-12-05T07:30:00+07:00");
        for minute in 0..2 {
            store
                .save_plan(
                    NIP,
                    day,
                    sample_plan(1).items,
                    morning_ms + minute * 60_000,
                    Tz::Asia__Jakarta,
                    plan::default_cutoff(),
                )
                .expect("saves");
        }

        store
            .mark_plan_refused(NIP, day, 1, "plan.past_cutoff", 1_000)
            .expect("marks refused");
        let unsynced = store.unsynced_plans(10).expect("reads");
        assert_eq!(unsynced.len(), 1);
        assert_eq!(unsynced[0].revision().revision, 2);

        let refused = store.refused_plans(10).expect("reads");
        assert_eq!(
            refused,
            [RefusedPlan {
                nip: NIP.to_string(),
                day,
                revision: 1,
                reason_id: "plan.past_cutoff".to_string(),
                refused_ms: 1_000,
            }]
        );

        store.mark_plan_synced(NIP, day, 2).expect("marks synced");
        let error = store
            .mark_plan_refused(NIP, day, 2, "plan.past_cutoff", 2_000)
            .expect_err("a synced revision cannot be refused");
        assert!(matches!(error, StoreError::NotFound { .. }), "{error:?}");
        assert_eq!(store.refused_plans(10).expect("reads").len(), 1);
    }
}
