/* A stand-in PktMonApi.dll for the Windows tests under Wine (scripts/cross.sh builds it with
 * mingw). Same exports and structures as the real DLL (../shared/spec/pktmon-cli.md §5);
 * serves the scripted data sources and packets below (tests/windows_pktmonapi.rs mirrors
 * them) and appends one line per call to the file PKTMON_STANDIN_LOG names.
 * PKTMON_STANDIN_DENY=1: Initialize answers E_ACCESSDENIED, as for a non-elevated process.
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

__declspec(dllexport) HRESULT WINAPI PacketMonitorAddCaptureConstraint(SESSION *s, const void *c) {
    (void)s; (void)c;
    logf_("AddCaptureConstraint");
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
