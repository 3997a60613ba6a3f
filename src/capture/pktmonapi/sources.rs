//! Data sources (`PacketMonitorEnumDataSources`) → components.

use super::api::{Driver, PktMonApi, check};
use super::ffi::*;
use super::naming::naming;
use crate::components::Component;
use crate::error::{Error, Result};

/// One enumeration: the caller buffer the DLL filled, which holds the list header, the
/// pointer array and the specification records.
pub struct DataSources {
    buf: Vec<u64>,
}

/// Fill attempts when the list keeps growing between the size query and the fill.
const FILL_ATTEMPTS: usize = 4;
/// A list larger than this is not believed (about 40,000 data sources).
const MAX_LIST_BYTES: usize = 16 << 20;

impl DataSources {
    /// The size query, then the fill. Real callers saw the size query fail (a non-S_OK
    /// HRESULT) with the needed size set, and the list grow before the fill: a failure
    /// with a size is accepted, and a fill that finds the buffer too small is retried with
    /// the new size, a bounded number of times.
    pub fn enumerate(driver: &Driver, show_hidden: bool) -> Result<DataSources> {
        let f = driver.api.enum_data_sources;
        let mut need: usize = 0;
        // SAFETY: the documented size query: capacity 0, no buffer.
        let hr = unsafe {
            f(
                driver.handle,
                DATA_SOURCE_KIND_ALL,
                show_hidden as u8,
                0,
                &mut need,
                std::ptr::null_mut(),
            )
        };
        if need == 0 {
            check(hr, "PacketMonitorEnumDataSources")?;
            // S_OK and nothing needed: no data sources.
            return Ok(DataSources { buf: vec![0] });
        }
        for _ in 0..FILL_ATTEMPTS {
            if need < size_of::<DataSourceList>() || need > MAX_LIST_BYTES {
                return Err(Error::failure(format!(
                    "PacketMonitorEnumDataSources asked for an implausible {need}-byte buffer"
                )));
            }
            let mut buf = vec![0u64; need.div_ceil(8)];
            let cap = buf.len() * 8;
            // SAFETY: `buf` is `cap` bytes, 8-byte aligned as the list's pointer array needs.
            let hr = unsafe {
                f(
                    driver.handle,
                    DATA_SOURCE_KIND_ALL,
                    show_hidden as u8,
                    cap,
                    &mut need,
                    buf.as_mut_ptr().cast(),
                )
            };
            if hr == S_OK {
                return Ok(DataSources { buf });
            }
            if need <= cap {
                // Not a matter of size: a real failure.
                check(hr, "PacketMonitorEnumDataSources")?;
            }
        }
        Err(Error::failure(format!(
            "the PktMon data source list kept growing while it was read ({FILL_ATTEMPTS} \
             attempts); try again"
        )))
    }

    /// The specifications, validated to lie inside the buffer.
    pub fn specs(&self) -> Result<Vec<&DataSourceSpecification>> {
        let base = self.buf.as_ptr() as usize;
        let end = base + self.buf.len() * 8;
        let n = self.buf[0] as u32 as usize;
        if 8 + n * 8 > end - base {
            return Err(Error::failure(
                "PktMonApi.dll returned a data source list longer than its buffer",
            ));
        }
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let p = self.buf[1 + i] as usize;
            if p < base || p + size_of::<DataSourceSpecification>() > end || !p.is_multiple_of(8) {
                return Err(Error::failure(
                    "PktMonApi.dll returned a data source outside its buffer",
                ));
            }
            // SAFETY: checked above: aligned and inside our buffer, which lives as long as self.
            out.push(unsafe { &*(p as *const DataSourceSpecification) });
        }
        Ok(out)
    }
}

/// UTF-16 up to the first NUL.
pub fn wide(s: &[u16]) -> String {
    let end = s.iter().position(|&c| c == 0).unwrap_or(s.len());
    String::from_utf16_lossy(&s[..end])
}

pub fn to_component(spec: &DataSourceSpecification) -> Component {
    let named = naming(spec.kind, &wide(&spec.name), &wide(&spec.description));
    let detail: [u8; 16] = {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&spec.detail[0].to_ne_bytes());
        b[8..].copy_from_slice(&spec.detail[1].to_ne_bytes());
        b
    };
    let mac = (spec.is_present & PRESENT_MAC != 0).then(|| {
        let mut m = [0u8; 6];
        m.copy_from_slice(&detail[..6]);
        m
    });
    Component {
        id: spec.id,
        name: named.name,
        mac,
        kind: named.kind,
        up: true,
        master: None,
        link: (spec.parent_id != 0).then_some(spec.parent_id),
        link_netnsid: None,
        members: Vec::new(),
        ifindex: spec.id,
        netns: None,
        peer: None,
        driver: named.driver,
    }
}

/// `pktmon list` on Windows: the visible data sources.
pub fn list_components() -> Result<Vec<Component>> {
    let driver = PktMonApi::load()?.open()?;
    let sources = DataSources::enumerate(&driver, false)?;
    Ok(sources.specs()?.into_iter().map(to_component).collect())
}

/// Both enumerations, every field as the DLL filled it (`pktmon __datasources`): what a
/// report from a real machine needs to confirm names, hidden entries and secondary ids.
pub fn data_sources_json() -> Result<serde_json::Value> {
    let driver = PktMonApi::load()?.open()?;
    let mut doc = serde_json::Map::new();
    for (key, hidden) in [("Visible", false), ("WithHidden", true)] {
        let sources = DataSources::enumerate(&driver, hidden)?;
        let entries: Vec<serde_json::Value> = sources
            .specs()?
            .iter()
            .map(|s| {
                let detail: Vec<String> = s
                    .detail
                    .iter()
                    .flat_map(|w| w.to_ne_bytes())
                    .map(|b| format!("{b:02x}"))
                    .collect();
                serde_json::json!({
                    "Kind": s.kind,
                    "Name": wide(&s.name),
                    "Description": wide(&s.description),
                    "Id": s.id,
                    "SecondaryId": s.secondary_id,
                    "ParentId": s.parent_id,
                    "IsPresent": s.is_present,
                    "Detail": detail.concat(),
                })
            })
            .collect();
        doc.insert(key.to_string(), serde_json::Value::Array(entries));
    }
    Ok(serde_json::Value::Object(doc))
}
