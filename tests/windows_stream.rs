//! The Windows capture backend end to end against the stand-in PktMonApi.dll under Wine:
//! the records out equal the stand-in's scripted packets, missed packets are counted, and
//! the calls reach the DLL in the documented order. One test: it sets the process
//! environment (the DLL path and the stand-in's call log).
#![cfg(windows)]

mod windows_common;

use pktmon::capture::pktmonapi::{PktmonBackend, list_components};
use pktmon::capture::{CaptureBackend, CaptureOptions};
use pktmon::record::{Direction, LinkType, RecordKind};
use std::time::{Duration, Instant};
use windows_common::standin;

#[test]
fn stream_delivers_the_scripted_packets_in_the_documented_call_sequence() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let log = tmp.path().join("calls.txt");
    // SAFETY: the only test in this binary; nothing else reads the environment meanwhile.
    unsafe {
        std::env::set_var("PKTMON_PKTMONAPI_DLL", standin("PktMonApi.dll"));
        std::env::set_var("PKTMON_STANDIN_LOG", &log);
    }
    let comps = list_components().expect("list");
    std::fs::remove_file(&log).expect("list logged its calls");

    let opts = CaptureOptions {
        pkt_size: 128,
        buffer_bytes: 1 << 20,
        latency_ms: 10,
    };
    let mut records = Vec::new();
    let lost;
    {
        let mut backend = PktmonBackend::open("pktmon-test").expect("open");
        for c in &comps {
            let armed = backend.arm(c, &opts).expect("arm");
            assert_eq!(armed.snaplen, 128);
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        while records.len() < 2 && Instant::now() < deadline {
            backend
                .poll(Duration::from_millis(200), &mut |c| {
                    if let pktmon::capture::Captured::Packet(r, identity) = c {
                        // The driver's own group ids stand.
                        assert_eq!(identity, pktmon::path::Identity::Assigned);
                        records.push(r.clone().into_owned())
                    }
                })
                .expect("poll");
        }
        lost = backend.stats().iter().map(|s| s.dropped).sum::<u64>();
        assert!(backend.take_failures().is_empty());
    }
    assert_eq!(records.len(), 2, "{records:?}");

    // Packet 1: a flow on the hidden id 12, which maps to the loopback (2); 200 bytes cut
    // to the 128 asked for. PacketType 1: Ethernet.
    let r = &records[0];
    assert_eq!(
        (r.group_id, r.packet_number, r.appearance),
        (0x0001_0000_0000_0005, 1, 1)
    );
    assert_eq!((r.component, r.edge, r.filter_id), (2, 1, 0));
    assert_eq!(r.direction, Direction::Rx);
    assert_eq!(r.link_type, LinkType::ETHERNET);
    assert_eq!(r.kind, RecordKind::Flow);
    assert_eq!(r.timestamp_ns, 1_609_459_200_000_000_000);
    let want: Vec<u8> = (0..128u32).map(|b| (b * 7) as u8).collect();
    assert_eq!(&*r.data, &want[..]);

    // Packet 2: a drop on component 1, reason 1204 by pktmon's name, location as in ETL text.
    let r = &records[1];
    assert_eq!(
        (r.group_id, r.packet_number, r.appearance),
        (0x0001_0000_0000_0006, 1, 2)
    );
    assert_eq!((r.component, r.edge, r.filter_id), (1, 2, 3));
    assert_eq!(r.direction, Direction::Tx);
    // PacketType 3 (IP): raw IP.
    assert_eq!(r.link_type, LinkType::RAW);
    assert_eq!(
        r.kind,
        RecordKind::Drop {
            reason: "INET: transport endpoint was not found".into(),
            location: "0xE000460A".into()
        }
    );
    assert_eq!(r.timestamp_ns, 1_609_459_200_000_001_000);
    let want: Vec<u8> = (0..28u32).map(|b| (b * 7 + 1) as u8).collect();
    assert_eq!(&*r.data, &want[..]);

    // 3 missed writes + 1 missed read before packet 2.
    assert_eq!(lost, 4);

    let calls = std::fs::read_to_string(&log).expect("call log");
    // The DLL's reader thread ran our callbacks at raised priority (THREAD_PRIORITY_HIGHEST);
    // it says so from its own thread, so its line may fall anywhere after activation.
    let (reader, calls): (Vec<&str>, Vec<&str>) = calls
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .partition(|l| l.starts_with("ReaderPriority"));
    assert_eq!(reader, ["ReaderPriority 2"]);
    assert_eq!(
        calls,
        [
            "Initialize 0x10000",
            "EnumDataSources kind=0 hidden=0 capacity=0",
            "EnumDataSources kind=0 hidden=0 capacity=n",
            "EnumDataSources kind=0 hidden=1 capacity=0",
            "EnumDataSources kind=0 hidden=1 capacity=n",
            "CreateLiveSession pktmon-test",
            "AddSingleDataSourceToSession 1",
            "AddSingleDataSourceToSession 2",
            "CreateRealtimeStream multiplier=10 truncation=128",
            "AttachOutputToSession",
            "SetSessionActive 1",
            "SetSessionActive 0",
            "CloseRealtimeStream",
            "CloseSessionHandle",
            "Uninitialize",
        ]
    );
}
