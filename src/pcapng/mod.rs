//! pcapng: our native log format. The writer is hand-written (see `writer`); the custom
//! option that carries pktmon metadata is defined in `meta`.

pub mod blocks;
pub mod meta;
pub mod numbered;
pub mod ring;
pub mod writer;

pub use writer::{InterfaceDescription, PcapngWriter};

/// Block types.
pub const BLOCK_SHB: u32 = 0x0A0D_0D0A;
pub const BLOCK_IDB: u32 = 0x0000_0001;
pub const BLOCK_EPB: u32 = 0x0000_0006;
pub const BLOCK_ISB: u32 = 0x0000_0005;
pub const BYTE_ORDER_MAGIC: u32 = 0x1A2B_3C4D;

/// Option codes used by the writer.
pub mod opt {
    pub const END: u16 = 0;
    pub const COMMENT: u16 = 1;
    /// Custom option, binary, may be copied by rewriters (PEN + payload).
    pub const CUSTOM_BINARY_COPY: u16 = 2989;
    pub const SHB_HARDWARE: u16 = 2;
    pub const SHB_OS: u16 = 3;
    pub const SHB_USERAPPL: u16 = 4;
    pub const IF_NAME: u16 = 2;
    pub const IF_DESCRIPTION: u16 = 3;
    pub const IF_MACADDR: u16 = 6;
    pub const IF_TSRESOL: u16 = 9;
    pub const IF_OS: u16 = 12;
    pub const EPB_FLAGS: u16 = 2;
    pub const EPB_DROPCOUNT: u16 = 4;
    pub const EPB_PACKETID: u16 = 5;
    pub const EPB_VERDICT: u16 = 7;
    pub const ISB_STARTTIME: u16 = 2;
    pub const ISB_ENDTIME: u16 = 3;
    pub const ISB_IFRECV: u16 = 4;
    pub const ISB_IFDROP: u16 = 5;
}
