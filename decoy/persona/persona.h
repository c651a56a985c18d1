/* persona: who one imitated camera is, whatever door is asked: its name and
 * model, its Telnet prompt, its RTSP voice, its ONVIF identity and the
 * picture its firmware makes. What it looks like over HTTP is the web's
 * (web/webface.h). */
#ifndef CAMDECOY_PERSONA_H
#define CAMDECOY_PERSONA_H

#include <stddef.h>

#include "camera.h"

/* What the firmware's RTSP server says on port 554 (rtsp key). Every answer
 * is "RTSP/1.0 STATUS REASON", the request's CSeq echoed as it came, the
 * Server (if any), the answer's own headers, then the Date (if any). */
typedef enum { RTSP_DATE_NONE, RTSP_DATE_HIKVISION, RTSP_DATE_RFC1123 } rtsp_date_e;

typedef struct {
	const char *pv_server; /* Server header, NULL: none */
	const char *pv_public; /* what OPTIONS lists */
	const char *
	    pv_challenges[3]; /* WWW-Authenticate values in order (@NONCE@ filled in), NULL-ended */
	rtsp_date_e pv_date;
	/* DESCRIBE's body; its controls are relative to Content-Base. @W@, @H@
	 * and @FPS@ become the picture's size and rate, so that SDP, snapshot
	 * and stream agree. */
	const char *pv_sdp;
	/* The same for H.264 where the firmware streams it (@PLID@ and @SPROP@:
	 * the encoder's profile-level-id and sprop-parameter-sets); NULL: every
	 * path plays JPEG. */
	const char *pv_sdp_h264;
	const char *pv_paths[8]; /* the stream paths the firmware serves (any case), NULL-ended */
	int pv_session_hex;      /* Session ids: 8 upper-case hex digits; else a decimal number */
	const char *pv_session_pad;     /* what the firmware writes between "Session:" and the id */
	const char *pv_session_timeout; /* after the id in SETUP's answer, e.g. ";timeout=60" */
	int pv_timeout_s;    /* that timeout: a session with no request for longer ends */
	const char *pv_mode; /* Transport's mode value as the firmware writes it */
} persona_rtsp_s;

/* The picture the firmware makes: its on-screen display and its JPEGs.
 * Sources are named where each is defined (persona.c). */
typedef struct {
	camera_osd_s pp_osd;
	const char *pp_font;  /* the OSD's font: a file in the default font's folder */
	int pp_quality;       /* its usual JPEG quality, on the IJG scale */
	encoder_sub_e pp_sub; /* its chroma subsampling */
	int pp_jfif_minor;    /* JFIF 1.01 or 1.02 */
	const char *pp_sizes; /* the picture sizes it offers, "640x480 320x240", default first */
} persona_picture_s;

/* What the firmware's ONVIF services say about the camera (GetDeviceInformation,
 * scopes, network, media): the same identity as its web pages, RTSP SDP and
 * Telnet prompt. Paths are relative to http://HOST (the Host the client used). */
typedef struct {
	const char *po_manufacturer, *po_model, *po_firmware, *po_serial, *po_hardware;
	const char *po_mac;       /* "ac:cc:8e:4b:21:d7" */
	const char *po_hostname;  /* GetHostname: the Telnet prompt's host name */
	const char *po_uuid;      /* WS-Discovery endpoint: urn:uuid:..., ending in the MAC */
	const char *po_ipv4;      /* the address when the Host header gives none */
	const char *po_device;    /* the device service path */
	const char *po_media;     /* the media service path */
	const char *po_events;    /* the events service path (listed, not served) */
	const char *po_rtsp_path; /* what GetStreamUri appends to rtsp://HOST:PORT */
	const char *po_snapshot;  /* the persona's snapshot path */
	const char *po_profile;   /* the profile's token */
	const char *po_profile_name;
	const char *po_source;                   /* the video source's token */
	const char *po_source_conf, *po_encoder; /* configuration tokens */
	const char *po_encoder_name;
	int po_width, po_height, po_fps, po_bitrate, po_gop;
	const char *po_scopes[8]; /* NULL-ended */
	const char *po_users[4];  /* GetUsers: name, level, ...; NULL-ended */
} persona_onvif_s;

typedef struct {
	const char *pe_name;             /* configuration name: "axis" */
	const char *pe_model;            /* shown in page titles: "AXIS M1124" */
	const char *pe_telnet_banner;    /* the Telnet trap's login prompt */
	const persona_rtsp_s *pe_rtsp;   /* NULL: the camera has no RTSP server */
	const persona_onvif_s *pe_onvif; /* NULL: the firmware had no ONVIF (404) */
	const persona_picture_s *pe_picture;
} persona_s;

/* NULL when there is no persona of that name. */
const persona_s *persona_find(const char *name);
/* The personas, for listings: *n set to their number. */
const persona_s *persona_all(size_t *n);

/* 1 when the persona's firmware offers a w x h picture. */
int persona_offers_size(const persona_s *pe, int w, int h);

#endif
