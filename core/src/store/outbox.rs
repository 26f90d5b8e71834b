//! The records outbox: appending signed, hash-chained records and moving them through the
//! upload states pending → sent → acknowledged or rejected.

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use uuid::Uuid;

use super::{Store, StoreError};
use crate::record::{
    AttendanceRecord, ChainState, GENESIS_HASH, HASH_LEN, RecordError, SignedRecord,
};
use crate::vault;

/// Upload state of a stored record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutboxState {
    /// Written, not yet handed to the uploader.
    Pending,
    /// Handed to the uploader; no response yet.
    Sent,
    /// The server stored it; the row may now be pruned.
    Acknowledged,
    /// The server refused it, with a reason; kept for the ASN and the admin to see.
    Rejected,
}

impl OutboxState {
    /// Returns the name stored in the `state` column.
    pub fn name(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Sent => "sent",
            OutboxState::Acknowledged => "acknowledged",
            OutboxState::Rejected => "rejected",
        }
    }

    fn from_name(name: &str) -> Option<OutboxState> {
        match name {
            "pending" => Some(OutboxState::Pending),
            "sent" => Some(OutboxState::Sent),
            "acknowledged" => Some(OutboxState::Acknowledged),
            "rejected" => Some(OutboxState::Rejected),
            _ => None,
        }
    }
}

impl std::fmt::Display for OutboxState {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.name())
    }
}

/// A row of the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    /// Per-device sequence number.
    pub sequence: u64,
    /// Record id.
    pub record_id: Uuid,
    /// Signed bytes, exactly as sent to the server.
    pub bytes: Vec<u8>,
    /// SHA-256 of `bytes`.
    pub hash: [u8; HASH_LEN],
    /// Upload state.
    pub state: OutboxState,
    /// The server's reason when rejected.
    pub reject_reason: Option<String>,
    /// When the record was appended, ms since the Unix epoch.
    pub created_ms: i64,
    /// When the state last changed, ms since the Unix epoch.
    pub updated_ms: i64,
}

impl StoredRecord {
    /// Parses the signed bytes.
    pub fn signed(&self) -> Result<SignedRecord, RecordError> {
        SignedRecord::from_bytes(&self.bytes)
    }
}

const RECORD_COLUMNS: &str =
    "sequence, record_id, bytes, hash, state, reject_reason, created_ms, updated_ms";

fn read_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(StoredRecord, String)> {
    let state: String = row.get(4)?;
    Ok((
        StoredRecord {
            sequence: row.get::<_, i64>(0)? as u64,
            record_id: Uuid::from_bytes(row.get::<_, [u8; 16]>(1)?),
            bytes: row.get(2)?,
            hash: row.get(3)?,
            state: OutboxState::Pending,
            reject_reason: row.get(5)?,
            created_ms: row.get(6)?,
            updated_ms: row.get(7)?,
        },
        state,
    ))
}

fn with_state((mut record, state): (StoredRecord, String)) -> Result<StoredRecord, StoreError> {
    record.state = OutboxState::from_name(&state).ok_or_else(|| StoreError::Damaged {
        what: "record state",
        detail: format!("unknown state {state:?} of record {}", record.sequence),
    })?;
    Ok(record)
}

impl Store {
    /// Signs `record` with the device key and appends it to the outbox as `pending`.
    ///
    /// The store fills `device_id`, `sequence` and `previous_hash`; the values passed in are
    /// replaced. Sequence, chain head and row are written in one transaction, committed with
    /// `synchronous=FULL`: when this returns, the record survives a crash or power cut.
    pub fn append_record(
        &mut self,
        record: AttendanceRecord,
        now_ms: i64,
    ) -> Result<StoredRecord, StoreError> {
        let mut stored = self.append_records(vec![record], now_ms)?;
        Ok(stored.remove(0))
    }

    /// Appends several records in one transaction, in order: all of them or none. The device key
    /// is unwrapped once for the batch. Used to import records and to build large benchmark
    /// stores; a check-in appends one record with [`Store::append_record`].
    pub fn append_records(
        &mut self,
        records: Vec<AttendanceRecord>,
        now_ms: i64,
    ) -> Result<Vec<StoredRecord>, StoreError> {
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)?;

        let (device_id, wrapped_key) = Store::wrapped_device_key(&transaction)?;
        let head: Option<(i64, [u8; HASH_LEN])> = transaction
            .query_row(
                "SELECT sequence, hash FROM chain_head WHERE singleton = 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        let (mut sequence, mut previous_hash) = match head {
            Some((last, hash)) => (last as u64, hash),
            None => (0, GENESIS_HASH),
        };

        let stored = vault::with_device_key(
            self.vault.as_ref(),
            &wrapped_key,
            |key_pair| -> Result<Vec<StoredRecord>, StoreError> {
                let mut insert = transaction.prepare_cached(
                "INSERT INTO records (sequence, record_id, bytes, hash, state, created_ms, updated_ms) \
                 VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?5)",
            )?;
                let mut stored = Vec::with_capacity(records.len());
                for mut record in records {
                    sequence += 1;
                    record.device_id = device_id;
                    record.sequence = sequence;
                    record.previous_hash = previous_hash;

                    let signed = SignedRecord::sign(&record, key_pair)?;
                    let hash = signed.hash();
                    insert.execute(params![
                        sequence as i64,
                        record.record_id.as_bytes(),
                        signed.as_bytes(),
                        hash,
                        now_ms
                    ])?;
                    previous_hash = hash;
                    stored.push(StoredRecord {
                        sequence,
                        record_id: record.record_id,
                        bytes: signed.as_bytes().to_vec(),
                        hash,
                        state: OutboxState::Pending,
                        reject_reason: None,
                        created_ms: now_ms,
                        updated_ms: now_ms,
                    });
                }
                Ok(stored)
            },
        )??;

        if stored.is_empty() {
            return Ok(stored);
        }
        transaction.execute(
            "INSERT OR REPLACE INTO chain_head (singleton, sequence, hash) VALUES (1, ?1, ?2)",
            params![sequence as i64, previous_hash],
        )?;
        transaction.commit()?;

        tracing::debug!(
            last_sequence = sequence,
            count = stored.len(),
            "records appended"
        );
        Ok(stored)
    }

    /// Returns the sequence number and hash of the last appended record.
    pub fn chain_head(&self) -> Result<Option<ChainState>, StoreError> {
        Ok(self
            .connection
            .query_row(
                "SELECT sequence, hash FROM chain_head WHERE singleton = 1",
                [],
                |row| {
                    Ok(ChainState {
                        sequence: row.get::<_, i64>(0)? as u64,
                        hash: row.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    /// Returns the record with `sequence`, if it is still stored.
    pub fn record(&self, sequence: u64) -> Result<Option<StoredRecord>, StoreError> {
        let row = self
            .connection
            .query_row(
                &format!("SELECT {RECORD_COLUMNS} FROM records WHERE sequence = ?1"),
                [sequence as i64],
                read_row,
            )
            .optional()?;
        row.map(with_state).transpose()
    }

    /// Returns the most recent record still stored: the check-in flow reads its clock reading
    /// to detect a clock set back or an elapsed clock going backwards.
    pub fn last_record(&self) -> Result<Option<StoredRecord>, StoreError> {
        let row = self
            .connection
            .query_row(
                &format!("SELECT {RECORD_COLUMNS} FROM records ORDER BY sequence DESC LIMIT 1"),
                [],
                read_row,
            )
            .optional()?;
        row.map(with_state).transpose()
    }

    /// Returns up to `limit` records from `from_sequence` on, in sequence order.
    pub fn records(
        &self,
        from_sequence: u64,
        limit: usize,
    ) -> Result<Vec<StoredRecord>, StoreError> {
        let mut statement = self.connection.prepare_cached(&format!(
            "SELECT {RECORD_COLUMNS} FROM records WHERE sequence >= ?1 ORDER BY sequence LIMIT ?2"
        ))?;
        let rows = statement.query_map(params![from_sequence as i64, limit as i64], read_row)?;
        rows.map(|row| with_state(row?)).collect()
    }

    /// Returns up to `limit` records in `state`, in sequence order: the next upload batch.
    pub fn records_in_state(
        &self,
        state: OutboxState,
        limit: usize,
    ) -> Result<Vec<StoredRecord>, StoreError> {
        let mut statement = self.connection.prepare_cached(&format!(
            "SELECT {RECORD_COLUMNS} FROM records WHERE state = ?1 ORDER BY sequence LIMIT ?2"
        ))?;
        let rows = statement.query_map(params![state.name(), limit as i64], read_row)?;
        rows.map(|row| with_state(row?)).collect()
    }

    /// Returns how many records are stored in each state, in the order pending, sent,
    /// acknowledged, rejected.
    pub fn outbox_counts(&self) -> Result<[u64; 4], StoreError> {
        let mut counts = [0u64; 4];
        let states = [
            OutboxState::Pending,
            OutboxState::Sent,
            OutboxState::Acknowledged,
            OutboxState::Rejected,
        ];
        for (count, state) in counts.iter_mut().zip(states) {
            let value: i64 = self.connection.query_row(
                "SELECT count(*) FROM records WHERE state = ?1",
                [state.name()],
                |row| row.get(0),
            )?;
            *count = value as u64;
        }
        Ok(counts)
    }

    /// Marks pending records as handed to the uploader.
    pub fn mark_sent(&mut self, record_ids: &[Uuid], now_ms: i64) -> Result<(), StoreError> {
        self.transition(
            record_ids,
            &[OutboxState::Pending],
            OutboxState::Sent,
            None,
            now_ms,
        )
    }

    /// Returns sent records to pending after an upload that got no response.
    pub fn mark_unsent(&mut self, record_ids: &[Uuid], now_ms: i64) -> Result<(), StoreError> {
        self.transition(
            record_ids,
            &[OutboxState::Sent],
            OutboxState::Pending,
            None,
            now_ms,
        )
    }

    /// Records the server's acknowledgement. Acknowledging twice is harmless.
    pub fn mark_acknowledged(
        &mut self,
        record_ids: &[Uuid],
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let from = [
            OutboxState::Pending,
            OutboxState::Sent,
            OutboxState::Acknowledged,
        ];
        self.transition(record_ids, &from, OutboxState::Acknowledged, None, now_ms)
    }

    /// Records the server's refusal with its reason (a message catalog id or the server's text).
    pub fn mark_rejected(
        &mut self,
        record_id: Uuid,
        reason: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let from = [OutboxState::Pending, OutboxState::Sent];
        self.transition(
            &[record_id],
            &from,
            OutboxState::Rejected,
            Some(reason),
            now_ms,
        )
    }

    /// Deletes acknowledged records and returns how many. The chain head is kept apart, so the
    /// next record still links to the last one.
    pub fn prune_acknowledged(&mut self) -> Result<usize, StoreError> {
        Ok(self
            .connection
            .execute("DELETE FROM records WHERE state = 'acknowledged'", [])?)
    }

    fn transition(
        &mut self,
        record_ids: &[Uuid],
        from: &[OutboxState],
        to: OutboxState,
        reason: Option<&str>,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for record_id in record_ids {
            let current: Option<String> = transaction
                .query_row(
                    "SELECT state FROM records WHERE record_id = ?1",
                    [record_id.as_bytes()],
                    |row| row.get(0),
                )
                .optional()?;
            let current = current.ok_or_else(|| StoreError::NotFound {
                what: "record",
                id: record_id.to_string(),
            })?;
            let current = OutboxState::from_name(&current).ok_or_else(|| StoreError::Damaged {
                what: "record state",
                detail: format!("unknown state {current:?} of record {record_id}"),
            })?;
            if !from.contains(&current) {
                return Err(StoreError::InvalidTransition {
                    record_id: *record_id,
                    from: current,
                    to,
                });
            }
            transaction.execute(
                "UPDATE records SET state = ?1, reject_reason = ?2, updated_ms = ?3 WHERE record_id = ?4",
                params![to.name(), reason, now_ms, record_id.as_bytes()],
            )?;
        }
        transaction.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod test {
    use super::super::test::memory_store;
    use super::*;
    use crate::record::test::sample_record;
    use crate::record::{ChainStatus, verify_chain};

    fn new_record(index: u64) -> AttendanceRecord {
        let mut record = sample_record(1, GENESIS_HASH);
        record.record_id =
            Uuid::from_u128(0x0193_8f3a_1c00_7000_8000_0000_0001_0000 + u128::from(index));
        record
    }

    #[test]
    fn appended_records_form_a_chain() {
        let mut store = memory_store();
        let device = store.device().expect("device");
        for index in 0..5 {
            store
                .append_record(new_record(index), 10 + index as i64)
                .expect("appends");
        }
        let stored = store.records(1, 100).expect("lists");
        assert_eq!(
            stored
                .iter()
                .map(|record| record.sequence)
                .collect::<Vec<_>>(),
            vec![1, 2, 3, 4, 5]
        );

        let bytes: Vec<&[u8]> = stored
            .iter()
            .map(|record| record.bytes.as_slice())
            .collect();
        let report = verify_chain(device.device_id, &device.public_key, None, &bytes);
        assert!(report.is_clean(), "{:?}", report.findings);
        assert_eq!(report.state, store.chain_head().expect("head"));

        let last = store.last_record().expect("reads").expect("present");
        assert_eq!(last.sequence, 5);
        let reading = last.signed().expect("parses").record().clock_reading();
        assert_eq!(reading.boot_id, sample_record(1, GENESIS_HASH).boot_id);
    }

    #[test]
    fn outbox_state_machine() {
        let mut store = memory_store();
        let first = store.append_record(new_record(1), 1).expect("appends");
        let second = store.append_record(new_record(2), 2).expect("appends");

        store
            .mark_sent(&[first.record_id, second.record_id], 3)
            .expect("sent");
        store
            .mark_unsent(&[second.record_id], 4)
            .expect("back to pending");
        store
            .mark_acknowledged(&[first.record_id], 5)
            .expect("acknowledged");
        store
            .mark_acknowledged(&[first.record_id], 6)
            .expect("acknowledging again is harmless");
        store
            .mark_rejected(second.record_id, "face.no_match", 7)
            .expect("rejected");

        let rejected = store.record(2).expect("reads").expect("present");
        assert_eq!(rejected.state, OutboxState::Rejected);
        assert_eq!(rejected.reject_reason.as_deref(), Some("face.no_match"));
        assert_eq!(store.outbox_counts().expect("counts"), [0, 0, 1, 1]);

        let error = store
            .mark_sent(&[second.record_id], 8)
            .expect_err("rejected cannot be sent");
        assert!(
            matches!(error, StoreError::InvalidTransition { .. }),
            "{error:?}"
        );
        let error = store
            .mark_sent(&[Uuid::from_u128(42)], 8)
            .expect_err("unknown id");
        assert!(matches!(error, StoreError::NotFound { .. }), "{error:?}");
    }

    #[test]
    fn unacknowledged_record_is_never_deleted() {
        let mut store = memory_store();
        let first = store.append_record(new_record(1), 1).expect("appends");
        store.append_record(new_record(2), 2).expect("appends");

        let deleted = store
            .connection
            .execute("DELETE FROM records WHERE sequence = 2", []);
        assert!(
            deleted.is_err(),
            "the trigger refuses deleting a pending record"
        );
        let changed = store
            .connection
            .execute("UPDATE records SET bytes = x'00' WHERE sequence = 2", []);
        assert!(
            changed.is_err(),
            "the trigger refuses changing signed bytes"
        );

        store
            .mark_acknowledged(&[first.record_id], 3)
            .expect("acknowledged");
        assert_eq!(store.prune_acknowledged().expect("prunes"), 1);
        assert_eq!(store.records(1, 10).expect("lists").len(), 1);

        // The chain continues from the head even though record 1 is gone.
        let third = store.append_record(new_record(3), 4).expect("appends");
        assert_eq!(third.sequence, 3);
        let second = store.record(2).expect("reads").expect("present");
        assert_eq!(
            third.signed().expect("parses").record().previous_hash,
            second.hash
        );
    }

    #[test]
    fn deleting_middle_row_shows_as_gap() {
        let mut store = memory_store();
        let device = store.device().expect("device");
        for index in 0..4 {
            store.append_record(new_record(index), 1).expect("appends");
        }
        // Someone with the file drops the trigger and deletes record 2.
        store
            .connection
            .execute_batch(
                "DROP TRIGGER records_keep_unacknowledged; DELETE FROM records WHERE sequence = 2;",
            )
            .expect("raw delete");
        let stored = store.records(1, 10).expect("lists");
        let bytes: Vec<&[u8]> = stored
            .iter()
            .map(|record| record.bytes.as_slice())
            .collect();
        let report = verify_chain(device.device_id, &device.public_key, None, &bytes);
        assert_eq!(
            report.findings[1].status,
            ChainStatus::SequenceGap {
                expected: 2,
                found: 3
            }
        );
    }

    #[test]
    fn batch_append_continues_chain() {
        let mut store = memory_store();
        let device = store.device().expect("device");
        store.append_record(new_record(0), 1).expect("appends");
        let batch = store
            .append_records((1..4).map(new_record).collect(), 2)
            .expect("batch appends");
        assert_eq!(
            batch
                .iter()
                .map(|record| record.sequence)
                .collect::<Vec<_>>(),
            vec![2, 3, 4]
        );

        let stored = store.records(1, 10).expect("lists");
        let bytes: Vec<&[u8]> = stored
            .iter()
            .map(|record| record.bytes.as_slice())
            .collect();
        let report = verify_chain(device.device_id, &device.public_key, None, &bytes);
        assert!(report.is_clean(), "{:?}", report.findings);

        let mut invalid = new_record(9);
        invalid.nip = "123".to_string();
        let error = store
            .append_records(vec![new_record(8), invalid], 3)
            .expect_err("second record is invalid");
        assert!(matches!(error, StoreError::Record(_)), "{error:?}");
        assert_eq!(
            store.records(1, 10).expect("lists").len(),
            4,
            "a failed batch writes nothing"
        );
        assert_eq!(
            store.chain_head().expect("head").map(|head| head.sequence),
            Some(4)
        );
    }

    #[test]
    fn append_without_device_fails() {
        let vault: std::sync::Arc<dyn crate::vault::KeyVault> =
            std::sync::Arc::new(crate::vault::SoftwareVault::from_key(&[4; 32]));
        let mut store = Store::open_in_memory(vault).expect("opens");
        let error = store
            .append_record(new_record(1), 1)
            .expect_err("no device");
        assert!(matches!(error, StoreError::NoDevice), "{error:?}");
        assert_eq!(
            store.chain_head().expect("reads"),
            None,
            "nothing was written"
        );
    }
}
