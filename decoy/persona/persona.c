/* persona: who each imitated camera is, for every door: name, model,
 * Telnet prompt, RTSP voice, ONVIF identity, picture.
 *
 * Bytes here follow public captures and vendor API documentation (see
 * shared/field-notes.md and docs/deception.md's persona table); where a detail is
 * not known it is left out rather than invented. */
#include "persona.h"

#include <stdio.h>
#include <string.h>

/* RTSP, for the two cameras that have it (the BB-HCM581 and the Netwave
 * MJPEG cameras serve video over HTTP only). Axis: what nmap's matcher for
 * Axis rtspd expects of an OPTIONS without CSeq (Public, nothing else), the
 * HTTP realm. Hikvision 5.x: the HTTP realm for Digest and Basic, the
 * firmware's own Date ("Date:  Mon, Jan 11 2021 14:34:40 GMT", two spaces),
 * and the CSeq echoed verbatim, which nmap's matcher of a Hikvision answer
 * to a SIP OPTIONS shows ("CSeq: 42 OPTIONS").
 *
 * Video is H.264 (RFC 6184, packetization-mode 1) on every path, as both
 * firmwares stream by default; Axis serves JPEG over RTP (RFC 2435) for
 * ?videocodec=jpeg, and both do past the listener's cap on H.264 encoders
 * (as the firmware's MJPEG setting would). Session ids as each firmware writes
 * them (Hikvision: a decimal number behind padding spaces, Axis: 8 hex
 * digits), both with a 60 s timeout. Paths the firmware does not have
 * answer 404, before any challenge, as a path brute-forcer sees on the
 * real camera. */
static const persona_rtsp_s axis_rtsp = {
    .pv_public = "DESCRIBE, GET_PARAMETER, PAUSE, PLAY, SETUP, SET_PARAMETER, TEARDOWN",
    .pv_challenges = {"Digest realm=\"AXIS_ACCC8E4B21D7\", nonce=\"@NONCE@\", stale=FALSE",
                      "Basic realm=\"AXIS_ACCC8E4B21D7\"", NULL},
    .pv_date = RTSP_DATE_NONE,
    .pv_sdp = "v=0\r\n"
              "o=- 1896432145216452 1 IN IP4 0.0.0.0\r\n"
              "s=Media Presentation\r\n"
              "c=IN IP4 0.0.0.0\r\n"
              "b=AS:50000\r\n"
              "t=0 0\r\n"
              "a=control:*\r\n"
              "a=range:npt=0.000000-\r\n"
              "m=video 0 RTP/AVP 26\r\n"
              "b=AS:50000\r\n"
              "a=framerate:@FPS@.0\r\n"
              "a=transform:1,0,0;0,1,0;0,0,1\r\n"
              "a=control:trackID=1\r\n"
              "a=rtpmap:26 JPEG/90000\r\n"
              "a=x-dimensions:@W@,@H@\r\n",
    .pv_sdp_h264 = "v=0\r\n"
                   "o=- 1896432145216452 1 IN IP4 0.0.0.0\r\n"
                   "s=Media Presentation\r\n"
                   "c=IN IP4 0.0.0.0\r\n"
                   "b=AS:50000\r\n"
                   "t=0 0\r\n"
                   "a=control:*\r\n"
                   "a=range:npt=0.000000-\r\n"
                   "m=video 0 RTP/AVP 96\r\n"
                   "b=AS:50000\r\n"
                   "a=framerate:@FPS@.0\r\n"
                   "a=transform:1,0,0;0,1,0;0,0,1\r\n"
                   "a=control:trackID=1\r\n"
                   "a=rtpmap:96 H264/90000\r\n"
                   "a=fmtp:96 packetization-mode=1; profile-level-id=@PLID@; "
                   "sprop-parameter-sets=@SPROP@\r\n",
    /* /onvif-media/media.amp: the URI its ONVIF GetStreamUri gives */
    .pv_paths = {"/axis-media/media.amp", "/mpeg4/media.amp", "/axis-media/media.3gp",
                 "/onvif-media/media.amp", NULL},
    .pv_session_hex = 1,
    .pv_session_pad = " ",
    .pv_session_timeout = "; timeout=60",
    .pv_timeout_s = 60,
    .pv_mode = "\"PLAY\"",
};

static const persona_rtsp_s hik_rtsp = {
    .pv_public = "OPTIONS, DESCRIBE, PLAY, PAUSE, SETUP, TEARDOWN, SET_PARAMETER, GET_PARAMETER",
    .pv_challenges = {"Digest realm=\"IP Camera(C6269)\", nonce=\"@NONCE@\", stale=\"FALSE\"",
                      "Basic realm=\"IP Camera(C6269)\"", NULL},
    .pv_date = RTSP_DATE_HIKVISION,
    .pv_sdp = "v=0\r\n"
              "o=- 1109162014219182 1109162014219192 IN IP4 192.0.0.64\r\n"
              "s=Media Presentation\r\n"
              "e=NONE\r\n"
              "b=AS:5100\r\n"
              "t=0 0\r\n"
              "a=control:*\r\n"
              "m=video 0 RTP/AVP 26\r\n"
              "c=IN IP4 0.0.0.0\r\n"
              "b=AS:5000\r\n"
              "a=recvonly\r\n"
              "a=x-dimensions:@W@,@H@\r\n"
              "a=control:trackID=1\r\n"
              "a=rtpmap:26 JPEG/90000\r\n"
              "a=framerate:@FPS@\r\n"
              "a=appversion:1.0\r\n",
    /* its Media_header is the same for every H.264 stream of a model */
    .pv_sdp_h264 = "v=0\r\n"
                   "o=- 1109162014219182 1109162014219192 IN IP4 192.0.0.64\r\n"
                   "s=Media Presentation\r\n"
                   "e=NONE\r\n"
                   "b=AS:5100\r\n"
                   "t=0 0\r\n"
                   "a=control:*\r\n"
                   "m=video 0 RTP/AVP 96\r\n"
                   "c=IN IP4 0.0.0.0\r\n"
                   "b=AS:5000\r\n"
                   "a=recvonly\r\n"
                   "a=x-dimensions:@W@,@H@\r\n"
                   "a=control:trackID=1\r\n"
                   "a=rtpmap:96 H264/90000\r\n"
                   "a=fmtp:96 profile-level-id=@PLID@; packetization-mode=1; "
                   "sprop-parameter-sets=@SPROP@\r\n"
                   "a=Media_header:MEDIAINFO=494D4B48010100000400010000000000000000000000"
                   "000000000000000000000000000000000000;\r\n"
                   "a=framerate:@FPS@\r\n"
                   "a=appversion:1.0\r\n",
    .pv_paths = {"/Streaming/Channels/101", "/Streaming/Channels/102", "/Streaming/Channels/1",
                 "/Streaming/Channels/2", "/h264/ch1/main/av_stream", "/h264/ch1/sub/av_stream",
                 "/ISAPI/Streaming/channels/101", NULL},
    .pv_session_hex = 0,
    .pv_session_pad = "       ",
    .pv_session_timeout = ";timeout=60",
    .pv_timeout_s = 60,
    .pv_mode = "\"play\"",
};

/* The pictures. What each firmware draws and writes, from public manuals
 * where they say it (cited); the rest is marked as assumed. All four
 * offer 640x480, the decoy's default size. */
static const persona_picture_s axis_picture = {
    /* AXIS P1224-E manual (Video > Overlay Image): the text overlay is a band
     * 16 or 32 pixels high, the width of the picture; AXIS Q6128-E manual:
     * date, time and a text on that line, small text 10 px on a 20 px band.
     * Date and time in the format of System Options > Date & Time,
     * YYYY-MM-DD and 24 h (assumed: the factory setting), at the top, white
     * on black, a proportional sans (assumed from screenshots). */
    .pp_osd = {.osd_clock = OSD_CLOCK_ISO,
               .osd_clock_at = OSD_TOP_LEFT,
               .osd_name = 1,
               .osd_dress = OSD_BAR,
               .osd_glyph_div = 48,
               .osd_fg = {255, 255, 255}},
    .pp_font = "DejaVuSans.ttf",
    /* VAPIX: compression 30 by default (0..100), taken as IJG quality 70;
     * 4:2:2 (assumed for ARTPEC's JPEG engine) */
    .pp_quality = 70,
    .pp_sub = ENCODER_422,
    .pp_jfif_minor = 1,
    /* the M1124's 4:3 and 16:9 sizes up to 720p (assumed from the data sheet's range) */
    .pp_sizes = "640x480 1280x720 800x450 640x360 480x360 320x240 320x180 160x120",
};

static const persona_picture_s panasonic_picture = {
    /* BB-HCM381A/403A operating instructions (Date and Time page): the
     * time stamp follows the date format and 12/24 h setting; its place,
     * bottom right in a plain fixed-width face with no camera name (the
     * name is in the page's banner), is assumed */
    .pp_osd = {.osd_clock = OSD_CLOCK_SLASH,
               .osd_clock_at = OSD_BOTTOM_RIGHT,
               .osd_name = 0,
               .osd_dress = OSD_OUTLINE,
               .osd_glyph_div = 30,
               .osd_fg = {255, 255, 255}},
    .pp_font = "DejaVuSansMono.ttf",
    /* the CGI's Quality=Clarity|Standard|Motion, Standard by default: taken
     * as IJG 65 (assumed); 4:2:2 (assumed) */
    .pp_quality = 65,
    .pp_sub = ENCODER_422,
    .pp_jfif_minor = 1,
    /* the CGI's Resolution values (Panasonic CGI specifications) */
    .pp_sizes = "640x480 320x240 192x144",
};

static const persona_picture_s hik_picture = {
    /* Hikvision manuals (Configuration > Image > OSD Settings): camera
     * name, date and week shown, date format MM-DD-YYYY, 24 h; TruVision IP
     * (a Hikvision OEM) manual: display mode "Transparent & Non-Flashing" by
     * default, i.e. text with nothing behind it. Clock top left, "Camera 01"
     * bottom right and the bold outlined face are as screenshots show them
     * (assumed: no manual states the default positions). */
    .pp_osd = {.osd_clock = OSD_CLOCK_US_WEEKDAY,
               .osd_clock_at = OSD_TOP_LEFT,
               .osd_name = 1,
               .osd_name_at = OSD_BOTTOM_RIGHT,
               .osd_dress = OSD_OUTLINE,
               .osd_glyph_div = 22,
               .osd_fg = {255, 255, 255}},
    .pp_font = "DejaVuSans-Bold.ttf",
    /* 4:2:0 like its H.264 pipeline, quality 80 (both assumed) */
    .pp_quality = 80,
    .pp_sub = ENCODER_420,
    .pp_jfif_minor = 1,
    /* the DS-2CD2032-I's main stream up to the decoy's 1080p cap, its sub stream sizes */
    .pp_sizes = "640x480 1920x1080 1280x720 352x288 320x240",
};

static const persona_picture_s netwave_picture = {
    /* IPCAM user manual (a Netwave OEM): "OSD: display date and time on the
     * video", on or off and its colour; no camera name (the alias is the
     * page's). Top left, a fixed-width face, white (assumed from
     * screenshots). */
    .pp_osd = {.osd_clock = OSD_CLOCK_ISO,
               .osd_clock_at = OSD_TOP_LEFT,
               .osd_name = 0,
               .osd_dress = OSD_OUTLINE,
               .osd_glyph_div = 30,
               .osd_fg = {255, 255, 255}},
    .pp_font = "DejaVuSansMono-Bold.ttf",
    /* a cheap JPEG engine fed the sensor's 4:2:2: quality 60 and 4:2:2 (assumed) */
    .pp_quality = 60,
    .pp_sub = ENCODER_422,
    .pp_jfif_minor = 1,
    /* "320x240 or 640x480" (a write-up of a FI8908W clone) */
    .pp_sizes = "640x480 320x240",
};

/* ONVIF, for the same two (the BB-HCM581 and the Netwave cameras predate it).
 * The identity is the one their pages, SDPs and Telnet prompts show: the Axis
 * serial number is its MAC (as on every Axis), the realm's MAC; Hikvision's
 * serial follows the model+date+"CCWR"+digits pattern of its GetDeviceInformation
 * (HardwareId 88, "V5.x.y build yymmdd", public captures). Service paths: Axis
 * serves everything but the device service on /onvif/services, Hikvision
 * names each (/onvif/Media). Stream URIs are the firmware's own forms. */
static const persona_onvif_s axis_onvif = {
    .po_manufacturer = "AXIS",
    .po_model = "M1124",
    .po_firmware = "5.75.1.1",
    .po_serial = "ACCC8E4B21D7",
    .po_hardware = "",
    .po_mac = "ac:cc:8e:4b:21:d7",
    .po_hostname = "axis-accc8e4b21d7",
    .po_uuid = "urn:uuid:5f5a69c2-e0ae-504f-829b-accc8e4b21d7",
    .po_ipv4 = "192.168.0.90",
    .po_device = "/onvif/device_service",
    .po_media = "/onvif/services",
    .po_events = "/onvif/services",
    .po_rtsp_path =
        "/onvif-media/media.amp?profile=profile_1_h264&sessiontimeout=60&streamtype=unicast",
    .po_snapshot = "/axis-cgi/jpg/image.cgi",
    .po_profile = "profile_1_h264",
    .po_profile_name = "profile_1 h264",
    .po_source = "0",
    .po_source_conf = "0",
    .po_encoder = "default_1_h264",
    .po_encoder_name = "default_1 h264",
    .po_width = 1280,
    .po_height = 720,
    .po_fps = 30,
    .po_bitrate = 2147483647,
    .po_gop = 32,
    .po_scopes = {"onvif://www.onvif.org/type/video_encoder",
                  "onvif://www.onvif.org/Profile/Streaming",
                  "onvif://www.onvif.org/type/Network_Video_Transmitter",
                  "onvif://www.onvif.org/hardware/M1124", "onvif://www.onvif.org/name/AXIS%20M1124",
                  "onvif://www.onvif.org/location/", NULL},
    .po_users = {"root", NULL},
};

static const persona_onvif_s hik_onvif = {
    .po_manufacturer = "HIKVISION",
    .po_model = "DS-2CD2032-I",
    .po_firmware = "V5.4.5 build 170124",
    .po_serial = "DS-2CD2032-I20170321CCWR726452362",
    .po_hardware = "88",
    .po_mac = "c0:56:e3:5c:62:69",
    .po_hostname = "192.0.0.64",
    .po_uuid = "urn:uuid:3fa1fe68-b915-4053-a3e1-c056e35c6269",
    .po_ipv4 = "192.0.0.64",
    .po_device = "/onvif/device_service",
    .po_media = "/onvif/Media",
    .po_events = "/onvif/Events",
    .po_rtsp_path = "/Streaming/Channels/101?transportmode=unicast&profile=Profile_1",
    .po_snapshot = "/ISAPI/Streaming/channels/101/picture",
    .po_profile = "Profile_1",
    .po_profile_name = "mainStream",
    .po_source = "VideoSource_1",
    .po_source_conf = "VideoSourceToken",
    .po_encoder = "VideoEncoderToken_1",
    .po_encoder_name = "VideoEncoder_1",
    .po_width = 2048,
    .po_height = 1536,
    .po_fps = 25,
    .po_bitrate = 4096,
    .po_gop = 50,
    .po_scopes = {"onvif://www.onvif.org/type/video_encoder",
                  "onvif://www.onvif.org/Profile/Streaming",
                  "onvif://www.onvif.org/type/Network_Video_Transmitter",
                  "onvif://www.onvif.org/hardware/DS-2CD2032-I",
                  "onvif://www.onvif.org/name/HIKVISION%20DS-2CD2032-I",
                  "onvif://www.onvif.org/location/city/hangzhou", NULL},
    .po_users = {"admin", NULL},
};

static const persona_s personas[] = {
    {
        .pe_name = "axis",
        .pe_telnet_banner = "axis-accc8e4b21d7 login: ",
        .pe_model = "AXIS M1124",
        .pe_rtsp = &axis_rtsp,
        .pe_picture = &axis_picture,
        .pe_onvif = &axis_onvif,
    },
    {
        .pe_name = "panasonic",
        .pe_telnet_banner = "login: ",
        .pe_model = "BB-HCM581",
        .pe_picture = &panasonic_picture,
    },
    {
        .pe_name = "hikvision",
        .pe_telnet_banner = "192.0.0.64 login: ", /* the cameras' busybox hostname (Rapid7 recog) */
        .pe_model = "DS-2CD2032-I",
        .pe_rtsp = &hik_rtsp,
        .pe_picture = &hik_picture,
        .pe_onvif = &hik_onvif,
    },
    {
        .pe_name = "netwave",
        .pe_telnet_banner = "(none) login: ",
        .pe_model = "IP Camera",
        .pe_picture = &netwave_picture,
    },
};

const persona_s *persona_find(const char *name)
{
	for (size_t i = 0; i < sizeof(personas) / sizeof(personas[0]); i++)
		if (strcmp(personas[i].pe_name, name) == 0)
			return &personas[i];
	return NULL;
}

int persona_offers_size(const persona_s *pe, int w, int h)
{
	const char *p = pe->pe_picture != NULL ? pe->pe_picture->pp_sizes : "";

	while (*p != '\0') {
		int pw = 0, ph = 0, n = 0;
		if (sscanf(p, "%dx%d%n", &pw, &ph, &n) != 2)
			return 0;
		if (pw == w && ph == h)
			return 1;
		p += n;
		while (*p == ' ')
			p++;
	}
	return 0;
}

const persona_s *persona_all(size_t *n)
{
	*n = sizeof(personas) / sizeof(personas[0]);
	return personas;
}
