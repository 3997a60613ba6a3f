/* A stand-in PktMonApi.dll for the Windows tests under Wine (scripts/cross.sh builds it with
 * mingw). Same exports and structures as the real DLL (docs/spec/pktmon-cli.md §5);
 * serves the scripted data sources and packets below (tests/windows_pktmonapi.rs mirrors
 * them) and appends one line per call to the file PKTMON_STANDIN_LOG names.
 * PKTMON_STANDIN_DENY=1: Initialize answers E_ACCESSDENIED, as for a non-elevated process.
 * PKTMON_STANDIN_BULK=N: N more packets after the scripted ones (see deliver()).
 * Built with -DSTANDIN_DROP_EXPORT it lacks PacketMonitorCloseRealtimeStream.
 *
 * What real callers observed of the real DLL (docs/spec/pktmonapi-fidelity.md), each
 * switched on by its own variable so that a test turns on one at a time:
 * PKTMON_STANDIN_SIZE_QUERY=fail   the size query (capacity 0) fails with
 *                                  ERROR_INSUFFICIENT_BUFFER and still sets the size.
 * PKTMON_STANDIN_GROW=N            the list gains one adapter after each enumeration call,
 *                                  N times ("Ethernet <k>", id 20 + k).
 * PKTMON_STANDIN_NAMES=driver      Name holds the driver file (.sys), Description the
 *                                  display name (what Windows 11 showed PocketStream).
 * PKTMON_STANDIN_SECONDARY=1       visible entries carry SecondaryId == Id; the adapter is
 *                                  registered twice more, hidden (ids 13 and 14, related
 *                                  through SecondaryId), and records arrive on those ids.
 * PKTMON_STANDIN_CUMULATIVE=1      MissedPacketReadCount is the stream's running total (as
 *                                  Cipherazzi observed; the write count stays per
 *                                  descriptor), and bulk packets report losses (deliver()).
 * PKTMON_STANDIN_STOP_AFTER=N      after N packets the stream sends Stopped (not fatal) and
 *                                  ends, though the session is still active.
 * PKTMON_STANDIN_PROCESS_INFO=N    N ProcessInfo warnings (a packet over the buffer,
 *                                  ERROR_INSUFFICIENT_BUFFER) before packet 2, each also in
 *                                  packet 2's MissedPacketReadCount.
 * PKTMON_STANDIN_SLOW=N            N packets from a producer (bursts of 400, 5 ms apart)
 *                                  into a 256-slot ring that the reader thread drains with
 *                                  Sleep(1) polls, as the real reader does (Cipherazzi):
 *                                  a full ring loses packets, reported as
 *                                  MissedPacketWriteCount on the next delivered descriptor.
 *                                  The last packet is never lost, so every loss is reported.
 * At the end of a stream the reader logs its thread priority ("ReaderPriority P") and, in
 * the slow mode, "Slow delivered=D missed=W". */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <stddef.h>
#include <stdarg.h>

typedef struct {
    UINT32 Kind;
    WCHAR Name[64];
    WCHAR Description[128];
    UINT32 Id, SecondaryId, ParentId, IsPresent;
    union { GUID Guid; UCHAR Ip[16]; UCHAR Mac[6]; ULONGLONG Align[2]; } Detail;
} SPEC;
_Static_assert(sizeof(SPEC) == 424, "spec size");
_Static_assert(offsetof(SPEC, Detail) == 408, "detail offset");

typedef struct { UINT32 Num; const SPEC *Sources[]; } SPEC_LIST;

/* PACKETMONITOR_PROTOCOL_CONSTRAINT; src/capture/pktmonapi/ffi.rs asserts the same offsets. */
typedef union { UINT32 V4; UCHAR Bytes[16]; ULONGLONG V6[2]; } IP_ADDRESS;
typedef struct {
    WCHAR Name[64];
    UINT32 IsPresent;
    UCHAR Mac1[6], Mac2[6];
    UINT16 VlanId, EtherType, Dscp;
    UCHAR TransportProtocol;
    IP_ADDRESS Ip1, Ip2;
    UCHAR PrefixLength1, PrefixLength2;
    UINT16 Port1, Port2;
    UCHAR TcpFlags;
    UINT32 EncapType;
    UINT16 VxLanPort;
    UINT64 Packets, Bytes;
} CONSTRAINT;
_Static_assert(sizeof(CONSTRAINT) == 216, "constraint size");
_Static_assert(offsetof(CONSTRAINT, IsPresent) == 128, "IsPresent offset");
_Static_assert(offsetof(CONSTRAINT, Mac1) == 132, "Mac1 offset");
_Static_assert(offsetof(CONSTRAINT, Mac2) == 138, "Mac2 offset");
_Static_assert(offsetof(CONSTRAINT, VlanId) == 144, "VlanId offset");
_Static_assert(offsetof(CONSTRAINT, EtherType) == 146, "EtherType offset");
_Static_assert(offsetof(CONSTRAINT, Dscp) == 148, "Dscp offset");
_Static_assert(offsetof(CONSTRAINT, TransportProtocol) == 150, "TransportProtocol offset");
_Static_assert(offsetof(CONSTRAINT, Ip1) == 152, "Ip1 offset");
_Static_assert(offsetof(CONSTRAINT, Ip2) == 168, "Ip2 offset");
_Static_assert(offsetof(CONSTRAINT, PrefixLength1) == 184, "PrefixLength1 offset");
_Static_assert(offsetof(CONSTRAINT, PrefixLength2) == 185, "PrefixLength2 offset");
_Static_assert(offsetof(CONSTRAINT, Port1) == 186, "Port1 offset");
_Static_assert(offsetof(CONSTRAINT, Port2) == 188, "Port2 offset");
_Static_assert(offsetof(CONSTRAINT, TcpFlags) == 190, "TcpFlags offset");
_Static_assert(offsetof(CONSTRAINT, EncapType) == 192, "EncapType offset");
_Static_assert(offsetof(CONSTRAINT, VxLanPort) == 196, "VxLanPort offset");
_Static_assert(offsetof(CONSTRAINT, Packets) == 200, "Packets offset");
_Static_assert(offsetof(CONSTRAINT, Bytes) == 208, "Bytes offset");

/* IsPresent bits, LSB first in declaration order. */
enum {
    P_MAC1 = 1 << 0, P_MAC2 = 1 << 1, P_VLAN = 1 << 2, P_ETHERTYPE = 1 << 3, P_DSCP = 1 << 4,
    P_PROTO = 1 << 5, P_IP1 = 1 << 6, P_IP2 = 1 << 7, P_IPV6 = 1 << 8, P_PREFIX1 = 1 << 9,
    P_PREFIX2 = 1 << 10, P_PORT1 = 1 << 11, P_PORT2 = 1 << 12, P_TCPFLAGS = 1 << 13,
    P_ENCAP = 1 << 14, P_VXLANPORT = 1 << 15
};

#pragma pack(push, 1)
typedef struct {
    UINT64 PktGroupId;
    UINT16 PktCount, AppearanceCount, DirectionName, PacketType, ComponentId, EdgeId, FilterId;
    UINT32 DropReason, DropLocation;
    UINT16 Processor;
    INT64 TimeStamp;
} META;
#pragma pack(pop)
_Static_assert(sizeof(META) == 40, "metadata size");

typedef struct {
    const void *Data;
    UINT32 DataSize, MetadataOffset, PacketOffset, PacketLength, MissedWrite, MissedRead;
} DESCRIPTOR;
typedef struct { UINT32 First; UINT32 Reason; UINT64 PacketLength; } EVENT_INFO;
typedef void(WINAPI *EVENT_CB)(void *, const EVENT_INFO *, UINT32);
typedef void(WINAPI *DATA_CB)(void *, const DESCRIPTOR *);
typedef struct {
    void *UserContext;
    EVENT_CB EventCallback;
    DATA_CB DataCallback;
    UINT16 BufferSizeMultiplier, TruncationSize;
} STREAM_CFG;

typedef struct { STREAM_CFG cfg; HANDLE thread; } STREAM;
typedef struct { STREAM *stream; int active; } SESSION;

/* The Win32 environment, not the CRT's copy (which misses SetEnvironmentVariable). */
static int env(const char *name, char *buf, DWORD size) {
    DWORD n = GetEnvironmentVariableA(name, buf, size);
    return n > 0 && n < size;
}

static void logf_(const char *fmt, ...) {
    char path[MAX_PATH];
    if (!env("PKTMON_STANDIN_LOG", path, sizeof path)) return;
    FILE *f = fopen(path, "a");
    if (!f) return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
    fclose(f);
}

static int flag(const char *name) {
    char v[16];
    return env(name, v, sizeof v) && strcmp(v, "0") != 0;
}

static long number(const char *name) {
    char v[32];
    return env(name, v, sizeof v) ? strtol(v, NULL, 10) : 0;
}

/* Adapters the list gained so far (PKTMON_STANDIN_GROW). */
static volatile LONG grown;

static void set_name(SPEC *s, const WCHAR *alias, const WCHAR *driver, const WCHAR *description) {
    wcscpy(s->Name, flag("PKTMON_STANDIN_NAMES") ? driver : alias);
    wcscpy(s->Description, description);
}

/* Visible: the adapter (1), the loopback (2), then the adapters the list grew by (20 + k).
 * Hidden: a second registration of the loopback (12, SecondaryId 2), and with
 * PKTMON_STANDIN_SECONDARY two more of the adapter: 13 (SecondaryId 1) and 14 (SecondaryId
 * 13, related to the adapter only through 13). */
static int source_count(int hidden) {
    int n = 2 + (int)grown;
    if (hidden) n += flag("PKTMON_STANDIN_SECONDARY") ? 3 : 1;
    return n;
}

static void fill_spec(SPEC *s, int i) {
    int secondary = flag("PKTMON_STANDIN_SECONDARY");
    int visible = 2 + (int)grown;
    memset(s, 0, sizeof *s);
    s->Kind = 1;
    if (i == 0) {
        set_name(s, L"Ethernet0", L"e1i63x64.sys", L"Intel(R) 82574L Gigabit Network Connection");
        s->Id = 1;
        s->IsPresent = 1 << 3;
        UCHAR mac[6] = {0x00, 0x15, 0x5d, 0x01, 0x02, 0x03};
        memcpy(s->Detail.Mac, mac, 6);
    } else if (i == 1) {
        set_name(s, L"Loopback Pseudo-Interface 1", L"tcpip.sys", L"Software Loopback Interface 1");
        s->Id = 2;
    } else if (i < visible) {
        int k = i - 1;
        WCHAR alias[64], description[128];
        swprintf(alias, 64, L"Ethernet %d", k);
        swprintf(description, 128, L"Microsoft Hyper-V Network Adapter #%d", k);
        set_name(s, alias, L"netvsc.sys", description);
        s->Id = 20 + (UINT32)k;
    } else if (i == visible) {
        set_name(s, L"Loopback Pseudo-Interface 1", L"tcpip.sys", L"Software Loopback Interface 1");
        s->Id = 12;
        s->SecondaryId = 2;
    } else if (i == visible + 1) {
        s->Kind = 2;
        set_name(s, L"Ethernet0", L"e1i63x64.sys", L"Intel(R) 82574L Gigabit Network Connection");
        s->Id = 13;
        s->SecondaryId = 1;
    } else {
        s->Kind = 2;
        set_name(s, L"Ethernet0", L"e1i63x64.sys", L"Intel(R) 82574L Gigabit Network Connection");
        s->Id = 14;
        s->SecondaryId = 13;
    }
    /* Real primary entries carry their own id as SecondaryId (PSPktmon, pspkt). */
    if (secondary && !s->SecondaryId) s->SecondaryId = s->Id;
}

__declspec(dllexport) HRESULT WINAPI PacketMonitorInitialize(UINT32 version, void *reserved, HANDLE *h) {
    logf_("Initialize 0x%x", version);
    char deny[8];
    if (env("PKTMON_STANDIN_DENY", deny, sizeof deny)) return (HRESULT)0x80070005;
    if (version != 0x10000 || reserved) return (HRESULT)0x8007051A;
    *h = (HANDLE)(uintptr_t)0x5EED;
    return S_OK;
}

__declspec(dllexport) void WINAPI PacketMonitorUninitialize(HANDLE h) {
    (void)h;
    logf_("Uninitialize");
}

#define E_INSUFFICIENT_BUFFER ((HRESULT)0x8007007A)

__declspec(dllexport) HRESULT WINAPI PacketMonitorEnumDataSources(HANDLE h, UINT32 kind, BOOLEAN hidden,
                                                                  SIZE_T cap, SIZE_T *need, SPEC_LIST *list) {
    (void)h;
    logf_("EnumDataSources kind=%u hidden=%u capacity=%s", kind, hidden, cap ? "n" : "0");
    int n = source_count(hidden);
    SIZE_T header = 8 + 8 * (SIZE_T)n;
    *need = header + sizeof(SPEC) * (SIZE_T)n;
    HRESULT hr = S_OK;
    if (cap == 0 || !list) {
        if (flag("PKTMON_STANDIN_SIZE_QUERY")) hr = E_INSUFFICIENT_BUFFER;
    } else if (cap < *need) {
        hr = E_INSUFFICIENT_BUFFER;
    } else {
        list->Num = (UINT32)n;
        SPEC *specs = (SPEC *)((char *)list + header);
        for (int i = 0; i < n; i++) {
            fill_spec(&specs[i], i);
            list->Sources[i] = &specs[i];
        }
    }
    /* The list grows between this call and the next. */
    if (grown < number("PKTMON_STANDIN_GROW")) InterlockedIncrement(&grown);
    return hr;
}

__declspec(dllexport) HRESULT WINAPI PacketMonitorCreateLiveSession(HANDLE h, const WCHAR *name, SESSION **s) {
    (void)h;
    char n[300];
    WideCharToMultiByte(CP_UTF8, 0, name, -1, n, sizeof n, NULL, NULL);
    logf_("CreateLiveSession %s", n);
    *s = calloc(1, sizeof(SESSION));
    return *s ? S_OK : E_OUTOFMEMORY;
}

__declspec(dllexport) void WINAPI PacketMonitorCloseSessionHandle(SESSION *s) {
    logf_("CloseSessionHandle");
    free(s);
}

__declspec(dllexport) HRESULT WINAPI PacketMonitorAddSingleDataSourceToSession(SESSION *s, const SPEC *spec) {
    (void)s;
    logf_("AddSingleDataSourceToSession %u", spec->Id);
    return S_OK;
}

/* Appends to a bounded line; output past the end is cut, never overrun. */
static void app(char *line, size_t cap, const char *fmt, ...) {
    size_t len = strlen(line);
    if (len + 1 >= cap) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + len, cap - len, fmt, ap);
    va_end(ap);
}

/* An IP address as Rust's Display prints it: dotted IPv4, or RFC 5952 IPv6 (the first
 * longest run of two or more zero groups as "::", lowercase hex) with IPv4-mapped
 * addresses as ::ffff:a.b.c.d. */
static void ip_text(char *out, size_t cap, const IP_ADDRESS *ip, int v6) {
    const UCHAR *b = ip->Bytes;
    out[0] = 0;
    if (!v6) {
        app(out, cap, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
        return;
    }
    unsigned g[8];
    for (int i = 0; i < 8; i++) g[i] = (unsigned)b[2 * i] << 8 | b[2 * i + 1];
    if (!g[0] && !g[1] && !g[2] && !g[3] && !g[4] && g[5] == 0xffff) {
        app(out, cap, "::ffff:%u.%u.%u.%u", b[12], b[13], b[14], b[15]);
        return;
    }
    int start = -1, run = 0;
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && !g[j]) j++;
        if (j - i > run) { start = i; run = j - i; }
        i = j == i ? i + 1 : j;
    }
    if (run < 2) start = -1;
    for (int i = 0; i < 8; i++) {
        if (i == start) {
            app(out, cap, "::");
            i += run - 1;
        } else {
            app(out, cap, "%s%x", i == 0 || i == start + run ? "" : ":", g[i]);
        }
    }
}

/* One line with the name, the IsPresent bits and the fields they mark (the format
 * constraints.rs `standin_log_line` renders, so tests compare the two). */
__declspec(dllexport) HRESULT WINAPI PacketMonitorAddCaptureConstraint(SESSION *s, const CONSTRAINT *c) {
    (void)s;
    char name[256] = "", line[1024] = "", ip[64];
    int wlen = 0;
    while (wlen < 64 && c->Name[wlen]) wlen++;
    if (wlen) {
        int n = WideCharToMultiByte(CP_UTF8, 0, c->Name, wlen, name, sizeof name - 1, NULL, NULL);
        name[n > 0 ? n : 0] = 0;
    }
    UINT32 p = c->IsPresent;
    int v6 = (p & P_IPV6) != 0;
    app(line, sizeof line, "AddCaptureConstraint name=%s present=0x%x", name, p);
    if (p & P_MAC1)
        app(line, sizeof line, " mac1=%02x:%02x:%02x:%02x:%02x:%02x", c->Mac1[0], c->Mac1[1], c->Mac1[2],
            c->Mac1[3], c->Mac1[4], c->Mac1[5]);
    if (p & P_MAC2)
        app(line, sizeof line, " mac2=%02x:%02x:%02x:%02x:%02x:%02x", c->Mac2[0], c->Mac2[1], c->Mac2[2],
            c->Mac2[3], c->Mac2[4], c->Mac2[5]);
    if (p & P_VLAN) app(line, sizeof line, " vlan=%u", c->VlanId);
    if (p & P_ETHERTYPE) app(line, sizeof line, " ethertype=0x%04x", c->EtherType);
    if (p & P_DSCP) app(line, sizeof line, " dscp=%u", c->Dscp);
    if (p & P_PROTO) app(line, sizeof line, " proto=%u", c->TransportProtocol);
    if (p & P_IP1) {
        ip_text(ip, sizeof ip, &c->Ip1, v6);
        app(line, sizeof line, " ip1=%s", ip);
    }
    if (p & P_IP2) {
        ip_text(ip, sizeof ip, &c->Ip2, v6);
        app(line, sizeof line, " ip2=%s", ip);
    }
    if (p & P_PREFIX1) app(line, sizeof line, " prefix1=%u", c->PrefixLength1);
    if (p & P_PREFIX2) app(line, sizeof line, " prefix2=%u", c->PrefixLength2);
    if (p & P_PORT1) app(line, sizeof line, " port1=%u", c->Port1);
    if (p & P_PORT2) app(line, sizeof line, " port2=%u", c->Port2);
    if (p & P_TCPFLAGS) app(line, sizeof line, " tcpflags=0x%02x", c->TcpFlags);
    if (p & P_ENCAP) app(line, sizeof line, " encap=0x%x", c->EncapType);
    if (p & P_VXLANPORT) app(line, sizeof line, " vxlanport=%u", c->VxLanPort);
    logf_("%s", line);
    return S_OK;
}

__declspec(dllexport) HRESULT WINAPI PacketMonitorCreateRealtimeStream(HANDLE h, const STREAM_CFG *cfg, STREAM **out) {
    (void)h;
    logf_("CreateRealtimeStream multiplier=%u truncation=%u", cfg->BufferSizeMultiplier, cfg->TruncationSize);
    if (cfg->BufferSizeMultiplier < 1 || cfg->BufferSizeMultiplier > 10 || cfg->TruncationSize > 9000)
        return E_INVALIDARG;
    STREAM *st = calloc(1, sizeof(STREAM));
    if (!st) return E_OUTOFMEMORY;
    st->cfg = *cfg;
    *out = st;
    return S_OK;
}

__declspec(dllexport) HRESULT WINAPI PacketMonitorAttachOutputToSession(SESSION *s, void *out) {
    logf_("AttachOutputToSession");
    s->stream = out;
    return S_OK;
}

/* One stream's delivery state: the reader's running read-loss total and packets delivered. */
typedef struct {
    STREAM *st;
    int cumulative;
    UINT32 read_total;
    long delivered, stop_after;
} FEED;

/* Hands one packet to the data callback with the losses before it: `write` missed writes
 * (always per descriptor) and `read` more missed reads (per descriptor, or the running total
 * with PKTMON_STANDIN_CUMULATIVE). Returns 0 when the stream must end (STOP_AFTER). */
static int feed(FEED *f, const META *m, const unsigned char *payload, UINT32 len, UINT32 write, UINT32 read) {
    unsigned char buf[40 + 256];
    UINT32 kept = len < f->st->cfg.TruncationSize ? len : f->st->cfg.TruncationSize;
    if (kept > 256) kept = 256;
    memcpy(buf, m, sizeof *m);
    memcpy(buf + 40, payload, kept);
    f->read_total += read;
    DESCRIPTOR d = {buf, 40 + kept, 0, 40, kept, write, f->cumulative ? f->read_total : read};
    if (f->st->cfg.DataCallback) f->st->cfg.DataCallback(f->st->cfg.UserContext, &d);
    f->delivered++;
    if (f->stop_after > 0 && f->delivered >= f->stop_after) {
        EVENT_INFO stop = {0, 0, 0};
        if (f->st->cfg.EventCallback) f->st->cfg.EventCallback(f->st->cfg.UserContext, &stop, 1);
        return 0;
    }
    return 1;
}

/* PKTMON_STANDIN_SLOW: the ring between the producer (the driver) and the reader. */
#define RING 256
typedef struct { META m; UINT32 missed_before; } SLOT;
typedef struct {
    CRITICAL_SECTION lock;
    SLOT slots[RING];
    int head, count, done;
    long total;
    UINT32 pending, missed;
} SLOW_RING;

/* Traffic comes in bursts: 400 packets (more than the ring holds) every 5 ms. */
#define BURST 400
static DWORD WINAPI produce(void *arg) {
    SLOW_RING *r = arg;
    for (long k = 0; k < r->total; k++) {
        if (k > 0 && k % BURST == 0) Sleep(5);
        META m = {0x0001000002000000ull + (UINT64)k, 1, 1, 3, 1, 1, 1, 0, 0, 0, 0,
                  132539328000000200ll + 10 * (INT64)k};
        for (;;) {
            EnterCriticalSection(&r->lock);
            if (r->count < RING) {
                SLOT *s = &r->slots[(r->head + r->count) % RING];
                s->m = m;
                s->missed_before = r->pending;
                r->pending = 0;
                r->count++;
                LeaveCriticalSection(&r->lock);
                break;
            }
            if (k + 1 < r->total) { /* full: this packet is lost */
                r->pending++;
                r->missed++;
                LeaveCriticalSection(&r->lock);
                break;
            }
            LeaveCriticalSection(&r->lock); /* the last one waits, so every loss is reported */
            Sleep(0);
        }
    }
    EnterCriticalSection(&r->lock);
    r->done = 1;
    LeaveCriticalSection(&r->lock);
    return 0;
}

/* The reader: drains the ring, then sleeps 1 ms, as the real DLL's reader polls. */
static void read_slowly(FEED *f, long total) {
    static SLOW_RING r;
    static SLOT batch[RING];
    memset(&r, 0, sizeof r);
    InitializeCriticalSection(&r.lock);
    r.total = total;
    HANDLE producer = CreateThread(NULL, 0, produce, &r, 0, NULL);
    long delivered = 0;
    for (;;) {
        EnterCriticalSection(&r.lock);
        int n = r.count, done = r.done;
        for (int i = 0; i < n; i++) batch[i] = r.slots[(r.head + i) % RING];
        r.head = (r.head + n) % RING;
        r.count = 0;
        LeaveCriticalSection(&r.lock);
        for (int i = 0; i < n; i++) {
            unsigned char payload[64];
            memset(payload, 0xCD, sizeof payload);
            UINT64 k = batch[i].m.PktGroupId - 0x0001000002000000ull;
            memcpy(payload, &k, sizeof k);
            feed(f, &batch[i].m, payload, 64, batch[i].missed_before, 0);
            delivered++;
        }
        if (done && n == 0) break;
        Sleep(1);
    }
    WaitForSingleObject(producer, INFINITE);
    CloseHandle(producer);
    DeleteCriticalSection(&r.lock);
    logf_("Slow delivered=%ld missed=%u", delivered, r.missed);
}

/* The scripted packets: a flow seen on the hidden loopback id 12, then a drop on id 1. */
static DWORD WINAPI deliver(void *arg) {
    STREAM *st = arg;
    FEED f = {st, flag("PKTMON_STANDIN_CUMULATIVE"), 0, 0, number("PKTMON_STANDIN_STOP_AFTER")};
    EVENT_INFO start = {262144u * st->cfg.BufferSizeMultiplier, st->cfg.TruncationSize, 0};
    if (st->cfg.EventCallback) st->cfg.EventCallback(st->cfg.UserContext, &start, 0);
    unsigned char payload[200];
    long process_info = number("PKTMON_STANDIN_PROCESS_INFO");
    for (int i = 0; i < 2; i++) {
        META m;
        UINT32 len, write = 0, read = 0;
        if (i == 0) {
            m = (META){0x0001000000000005ull, 1, 1, 3, 1, 12, 1, 0, 0, 0, 1, 132539328000000000ll};
            len = 200;
        } else {
            m = (META){0x0001000000000006ull, 1, 2, 4, 3, 1, 2, 3, 1204, 0xE000460A, 0, 132539328000000010ll};
            len = 28;
            /* Packets over the buffer: a warning each, and (Cipherazzi) in the missed reads. */
            for (long k = 0; k < process_info; k++) {
                EVENT_INFO info = {1, 122 /* ERROR_INSUFFICIENT_BUFFER */, 65535};
                if (st->cfg.EventCallback) st->cfg.EventCallback(st->cfg.UserContext, &info, 3);
            }
            write = 3;
            read = 1 + (UINT32)process_info;
        }
        for (UINT32 b = 0; b < len; b++) payload[b] = (unsigned char)(b * 7 + i);
        if (!feed(&f, &m, payload, len, write, read)) goto end;
    }
    /* PKTMON_STANDIN_SECONDARY: a flow on 13 (hidden, SecondaryId 1) and a drop on 14 (hidden,
     * SecondaryId 13): both the adapter's (1). */
    if (flag("PKTMON_STANDIN_SECONDARY")) {
        META flow = {0x0001000000000007ull, 1, 1, 3, 1, 13, 1, 0, 0, 0, 0, 132539328000000020ll};
        META drop = {0x0001000000000008ull, 1, 1, 3, 3, 14, 1, 0, 1203, 0xE000460B, 0, 132539328000000030ll};
        memset(payload, 0x5A, 60);
        if (!feed(&f, &flow, payload, 60, 0, 0)) goto end;
        if (!feed(&f, &drop, payload, 40, 0, 0)) goto end;
    }
    /* PKTMON_STANDIN_BULK=N: then N flows of 64 bytes on Ethernet0 (Rx), group ids
     * 0x0001000001000000 + k, 1 us apart, byte 0 of each frame = k & 0xff. With
     * PKTMON_STANDIN_CUMULATIVE every 1000th reports 2 missed writes and 1 more missed read. */
    long n = number("PKTMON_STANDIN_BULK");
    for (long k = 0; k < n; k++) {
        META m = {0x0001000001000000ull + (UINT64)k, 1, 1, 3, 1, 1, 1, 0, 0, 0, 0,
                  132539328000000100ll + 10 * (INT64)k};
        memset(payload, 0xAB, 64);
        payload[0] = (unsigned char)k;
        int lossy = f.cumulative && k % 1000 == 999;
        if (!feed(&f, &m, payload, 64, lossy ? 2 : 0, lossy ? 1 : 0)) goto end;
    }
    long slow = number("PKTMON_STANDIN_SLOW");
    if (slow > 0) read_slowly(&f, slow);
end:
    logf_("ReaderPriority %d", GetThreadPriority(GetCurrentThread()));
    return 0;
}

__declspec(dllexport) HRESULT WINAPI PacketMonitorSetSessionActive(SESSION *s, BOOLEAN active) {
    logf_("SetSessionActive %u", active);
    if (active && !s->active && s->stream) {
        s->stream->thread = CreateThread(NULL, 0, deliver, s->stream, 0, NULL);
    } else if (!active && s->active && s->stream && s->stream->thread) {
        WaitForSingleObject(s->stream->thread, INFINITE);
        CloseHandle(s->stream->thread);
        s->stream->thread = NULL;
        EVENT_INFO stop = {0, 0, 0};
        if (s->stream->cfg.EventCallback) s->stream->cfg.EventCallback(s->stream->cfg.UserContext, &stop, 1);
    }
    s->active = active;
    return S_OK;
}

#ifndef STANDIN_DROP_EXPORT
__declspec(dllexport) void WINAPI PacketMonitorCloseRealtimeStream(STREAM *st) {
    logf_("CloseRealtimeStream");
    if (st->thread) {
        WaitForSingleObject(st->thread, INFINITE);
        CloseHandle(st->thread);
    }
    free(st);
}
#endif
