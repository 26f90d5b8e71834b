//! Today's work plan (rencana kerja harian) through the device API: the day is the attendance
//! day of trusted time in the home office's zone, and the cutoff comes from the configuration.

use chrono::{NaiveDate, NaiveTime};

use crate::plan::{PlanItem, PlanStatus};
use crate::time::{self, TimePolicy};

use super::{Device, DeviceError, clock::read_clock};

/// Today's plan as the plan screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TodayPlan {
    /// The attendance day.
    pub day: NaiveDate,
    /// Items of the latest revision; empty before the first save.
    pub items: Vec<PlanItem>,
    /// Latest revision number; 0 before the first save.
    pub revision: u32,
    /// Local time after which the plan can no longer be changed.
    pub cutoff: NaiveTime,
}

impl Device {
    /// Returns today's plan.
    pub fn today_plan(&self) -> Result<TodayPlan, DeviceError> {
        let (day, _, cutoff) = self.plan_day()?;
        let store = self.lock_store()?;
        let nip = Device::registered_nip(&store)?;
        let latest = store.latest_plan(&nip, day)?;
        Ok(match latest {
            Some(signed) => TodayPlan {
                day,
                items: signed.revision().items.clone(),
                revision: signed.revision().revision,
                cutoff,
            },
            None => TodayPlan {
                day,
                items: Vec::new(),
                revision: 0,
                cutoff,
            },
        })
    }

    /// Saves `items` as the next signed revision of today's plan.
    pub fn set_today_plan(&self, items: Vec<PlanItem>) -> Result<TodayPlan, DeviceError> {
        if let Some(index) = items.iter().position(|item| item.title.trim().is_empty()) {
            return Err(DeviceError::PlanRejected {
                message_id: "plan.empty_title".to_string(),
                detail: format!("item {} has an empty title", index + 1),
            });
        }
        let (day, now_ms, cutoff) = self.plan_day()?;
        let zone = self.plan_zone()?;
        let mut store = self.lock_store()?;
        let nip = Device::registered_nip(&store)?;
        let saved = store.save_plan(&nip, day, items, now_ms, zone.tz(), cutoff)?;
        Ok(TodayPlan {
            day,
            items: saved.revision().items.clone(),
            revision: saved.revision().revision,
            cutoff,
        })
    }

    /// Sets the status and note of item `index` (0-based) of today's plan, as a new revision.
    pub fn mark_plan_item(
        &self,
        index: usize,
        status: PlanStatus,
        note: &str,
    ) -> Result<TodayPlan, DeviceError> {
        let mut plan = self.today_plan()?;
        let count = plan.items.len();
        let Some(item) = plan.items.get_mut(index) else {
            return Err(DeviceError::PlanRejected {
                message_id: "common.invalid_value".to_string(),
                detail: format!(
                    "today's plan has {count} items; item index {index} does not exist"
                ),
            });
        };
        item.status = status;
        item.note = note.to_string();
        self.set_today_plan(plan.items)
    }

    /// Returns today's attendance day, trusted now and the cutoff.
    fn plan_day(&self) -> Result<(NaiveDate, i64, NaiveTime), DeviceError> {
        let store = self.lock_store()?;
        let config = Device::load_config(&store)?;
        let (zone, policy, cutoff) = match &config {
            Some(config) => (
                config.home_zone(),
                TimePolicy::from(config.time_policy),
                config.plan_cutoff,
            ),
            None => (
                crate::geofence::OfficeZone::Wib,
                TimePolicy::default(),
                crate::plan::default_cutoff(),
            ),
        };
        let anchor = store.latest_time_anchor()?;
        drop(store);

        let trusted = time::estimate_trusted_time(
            &read_clock(self.clock.as_ref()),
            anchor.as_ref(),
            None,
            &policy,
        );
        let day = time::attendance_day(trusted.time_ms, zone.tz()).map_err(|error| {
            DeviceError::Internal {
                detail: format!("attendance day: {error}"),
            }
        })?;
        Ok((day, trusted.time_ms, cutoff))
    }

    fn plan_zone(&self) -> Result<crate::geofence::OfficeZone, DeviceError> {
        let store = self.lock_store()?;
        Ok(Device::load_config(&store)?
            .map(|config| config.home_zone())
            .unwrap_or(crate::geofence::OfficeZone::Wib))
    }
}
