/* A stand-in PktMonApi.dll for the Windows tests under Wine (scripts/cross.sh builds it with
 * mingw). Same exports and structures as the real DLL (docs/spec/pktmon-cli.md §5);
 * serves the scripted data sources and packets below (tests/windows_pktmonapi.rs mirrors
 * them) and appends one line per call to the file PKTMON_STANDIN_LOG names.
 * PKTMON_STANDIN_DENY=1: Initialize answers E_ACCESSDENIED, as for a non-elevated process.
 * PKTMON_STANDIN_BULK=N: N more packets after the scripted ones (see deliver()).
 * Built with -DSTANDIN_DROP_EXPORT it lacks PacketMonitorCloseRealtimeStream. */
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

#define NSOURCES 3
static void fill_spec(SPEC *s, int i) {
    memset(s, 0, sizeof *s);
    s->Kind = 1;
    if (i == 0) {
        wcscpy(s->Name, L"Ethernet0");
        wcscpy(s->Description, L"Intel(R) 82574L Gigabit Network Connection");
        s->Id = 1;
        s->IsPresent = 1 << 3;
        UCHAR mac[6] = {0x00, 0x15, 0x5d, 0x01, 0x02, 0x03};
        memcpy(s->Detail.Mac, mac, 6);
    } else if (i == 1) {
        wcscpy(s->Name, L"Loopback Pseudo-Interface 1");
        wcscpy(s->Description, L"Software Loopback Interface 1");
        s->Id = 2;
    } else { /* hidden: a second registration of the loopback, seen in stream ComponentIds */
        wcscpy(s->Name, L"Loopback Pseudo-Interface 1");
        wcscpy(s->Description, L"Software Loopback Interface 1");
        s->Id = 12;
        s->SecondaryId = 2;
    }
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

__declspec(dllexport) HRESULT WINAPI PacketMonitorEnumDataSources(HANDLE h, UINT32 kind, BOOLEAN hidden,
                                                                  SIZE_T cap, SIZE_T *need, SPEC_LIST *list) {
    (void)h;
    logf_("EnumDataSources kind=%u hidden=%u capacity=%s", kind, hidden, cap ? "n" : "0");
    int n = hidden ? NSOURCES : NSOURCES - 1;
    SIZE_T header = 8 + 8 * (SIZE_T)n;
    *need = header + sizeof(SPEC) * (SIZE_T)n;
    if (cap == 0 || !list) return S_OK;
    if (cap < *need) return (HRESULT)0x8007007A;
    list->Num = (UINT32)n;
    SPEC *specs = (SPEC *)((char *)list + header);
    for (int i = 0; i < n; i++) {
        fill_spec(&specs[i], i);
        list->Sources[i] = &specs[i];
    }
    return S_OK;
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

/* The scripted packets: a flow seen on the hidden loopback id 12, then a drop on id 1. */
static DWORD WINAPI deliver(void *arg) {
    STREAM *st = arg;
    EVENT_INFO start = {262144u * st->cfg.BufferSizeMultiplier, st->cfg.TruncationSize, 0};
    if (st->cfg.EventCallback) st->cfg.EventCallback(st->cfg.UserContext, &start, 0);
    for (int i = 0; i < 2; i++) {
        unsigned char buf[40 + 200];
        META m = {0};
        UINT32 len;
        if (i == 0) {
            m = (META){0x0001000000000005ull, 1, 1, 3, 1, 12, 1, 0, 0, 0, 1, 132539328000000000ll};
            len = 200;
        } else {
            m = (META){0x0001000000000006ull, 1, 2, 4, 3, 1, 2, 3, 1204, 0xE000460A, 0, 132539328000000010ll};
            len = 28;
        }
        UINT32 kept = len < st->cfg.TruncationSize ? len : st->cfg.TruncationSize;
        memcpy(buf, &m, sizeof m);
        for (UINT32 b = 0; b < kept; b++) buf[40 + b] = (unsigned char)(b * 7 + i);
        DESCRIPTOR d = {buf, 40 + kept, 0, 40, kept, i == 1 ? 3 : 0, i == 1 ? 1 : 0};
        if (st->cfg.DataCallback) st->cfg.DataCallback(st->cfg.UserContext, &d);
    }
    /* PKTMON_STANDIN_BULK=N: then N flows of 64 bytes on Ethernet0 (Rx), group ids
     * 0x0001000001000000 + k, 1 us apart, byte 0 of each frame = k & 0xff. */
    char bulk[32];
    long n = env("PKTMON_STANDIN_BULK", bulk, sizeof bulk) ? strtol(bulk, NULL, 10) : 0;
    for (long k = 0; k < n; k++) {
        unsigned char buf[40 + 64];
        META m = {0x0001000001000000ull + (UINT64)k, 1, 1, 3, 1, 1, 1, 0, 0, 0, 0,
                  132539328000000100ll + 10 * (INT64)k};
        UINT32 kept = 64 < st->cfg.TruncationSize ? 64 : st->cfg.TruncationSize;
        memcpy(buf, &m, sizeof m);
        memset(buf + 40, 0xAB, kept);
        buf[40] = (unsigned char)k;
        DESCRIPTOR d = {buf, 40 + kept, 0, 40, kept, 0, 0};
        if (st->cfg.DataCallback) st->cfg.DataCallback(st->cfg.UserContext, &d);
    }
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
