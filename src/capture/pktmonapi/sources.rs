//! Data sources (`PacketMonitorEnumDataSources`) → components.

use super::api::{Driver, PktMonApi, check};
use super::ffi::*;
use crate::components::{Component, ComponentKind};
use crate::error::{Error, Result};

/// One enumeration: the caller buffer the DLL filled, which holds the list header, the
/// pointer array and the specification records.
pub struct DataSources {
    buf: Vec<u64>,
}

impl DataSources {
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
        check(hr, "PacketMonitorEnumDataSources")?;
        let mut buf = vec![0u64; need.div_ceil(8).max(1)];
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
        check(hr, "PacketMonitorEnumDataSources")?;
        Ok(DataSources { buf })
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
    let name = wide(&spec.name);
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
    let kind = if name.to_ascii_lowercase().contains("loopback") {
        ComponentKind::Loopback
    } else if spec.kind == DATA_SOURCE_KIND_NETWORK_INTERFACE {
        ComponentKind::Ethernet
    } else {
        ComponentKind::Other(wide(&spec.description))
    };
    Component {
        id: spec.id,
        name,
        mac,
        kind,
        up: true,
        master: None,
        link: (spec.parent_id != 0).then_some(spec.parent_id),
        link_netnsid: None,
        members: Vec::new(),
        ifindex: spec.id,
        netns: None,
        peer: None,
    }
}

/// `pktmon list` on Windows: the visible data sources.
pub fn list_components() -> Result<Vec<Component>> {
    let driver = PktMonApi::load()?.open()?;
    let sources = DataSources::enumerate(&driver, false)?;
    Ok(sources.specs()?.into_iter().map(to_component).collect())
}
