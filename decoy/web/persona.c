/* persona: route and header tables for each imitated camera vendor.
 *
 * Bytes here follow public captures and vendor API documentation (see
 * shared/field-notes.md and docs/deception.md's persona table); where a detail is
 * not known it is left out rather than invented. */
#include "persona.h"

#include <string.h>

static const persona_header_s axis_stream_headers[] = {
    {"Cache-Control", "no-cache"},
    {"Pragma", "no-cache"},
    {"Expires", "Thu, 01 Dec 1994 16:00:00 GMT"},
    {NULL, NULL},
};

static const persona_header_s axis_image_headers[] = {
    {"Cache-Control", "no-cache"},
    {"Pragma", "no-cache"},
    {"Expires", "Thu, 01 Dec 1994 16:00:00 GMT"},
    {NULL, NULL},
};

static const persona_route_s axis_routes[] = {
    {"/", ROUTE_PAGE, "axis/index.html"},
    {"/index.html", ROUTE_PAGE, "axis/index.html"},
    {"/view/index.shtml", ROUTE_PAGE, "axis/viewer_index.shtml"},
    {"/view/viewer_index.shtml", ROUTE_PAGE, "axis/viewer_index.shtml"},
    {"/view/view.shtml", ROUTE_PAGE, "axis/viewer_index.shtml"},
    {"/css/axis.css", ROUTE_PAGE, "axis/axis.css"},
    {"/favicon.ico", ROUTE_PAGE, "axis/favicon.ico"},
    {"/mjpg/video.mjpg", ROUTE_STREAM, NULL},
    {"/mjpg/1/video.mjpg", ROUTE_STREAM, NULL},
    {"/axis-cgi/mjpg/video.cgi", ROUTE_STREAM, NULL},
    {"/jpg/image.jpg", ROUTE_SNAPSHOT, NULL},
    {"/jpg/1/image.jpg", ROUTE_SNAPSHOT, NULL},
    {"/axis-cgi/jpg/image.cgi", ROUTE_SNAPSHOT, NULL},
    {"/operator/basic.shtml", ROUTE_AUTH, NULL},
    {"/admin/admin.shtml", ROUTE_AUTH, NULL},
    {"/axis-cgi/admin/param.cgi", ROUTE_AUTH, NULL},
    {"/onvif/device_service", ROUTE_ONVIF, NULL},
    {"/onvif/services", ROUTE_ONVIF, NULL},
    {NULL, ROUTE_PAGE, NULL},
};

static const persona_header_s panasonic_stream_headers[] = {
    {"Cache-Control", "no-cache"},
    {"Pragma", "no-cache"},
    {NULL, NULL},
};

static const persona_header_s panasonic_image_headers[] = {
    {"Cache-Control", "no-cache"},
    {"Pragma", "no-cache"},
    {NULL, NULL},
};

static const persona_route_s panasonic_routes[] = {
    /* the BB-HCM5xx front page: a frameset (nmap and grabbers know it by its frames) */
    {"/", ROUTE_PAGE, "panasonic/start.html"},
    {"/index.html", ROUTE_PAGE, "panasonic/start.html"},
    {"/CgiTagMenu", ROUTE_PAGE, "panasonic/menu.html"},
    {"/BarFoot.html", ROUTE_PAGE, "panasonic/barfoot.html"},
    {"/CgiStart", ROUTE_PAGE, "panasonic/single.html"},
    {"/cgi-bin/camera", ROUTE_SNAPSHOT, NULL},
    {"/SnapshotJPEG", ROUTE_SNAPSHOT, NULL},
    {"/nphMotionJpeg", ROUTE_STREAM, NULL},
    {"/cgi-bin/nphContinuousServerPush", ROUTE_STREAM, NULL},
    {"/panasonic.css", ROUTE_PAGE, "panasonic/panasonic.css"},
    {"/favicon.ico", ROUTE_PAGE, "panasonic/favicon.ico"},
    {"/admin/index.html", ROUTE_AUTH, NULL},
    {"/Set", ROUTE_AUTH, NULL},
    {NULL, ROUTE_PAGE, NULL},
};

static const persona_route_s hik_routes[] = {
    {"/", ROUTE_PAGE, "hikvision/index.html"},
    {"/index.asp", ROUTE_PAGE, "hikvision/index.html"},
    {"/doc/page/login.asp", ROUTE_LOGIN, "hikvision/login.asp"},
    {"/doc/page/preview.asp", ROUTE_PAGE, "hikvision/preview.asp"},
    {"/doc/css/hik.css", ROUTE_PAGE, "hikvision/hik.css"},
    {"/favicon.ico", ROUTE_PAGE, "hikvision/favicon.ico"},
    {"/ISAPI/Streaming/channels/101/picture", ROUTE_SNAPSHOT, NULL},
    {"/ISAPI/Streaming/channels/1/picture", ROUTE_SNAPSHOT, NULL},
    {"/Streaming/channels/1/picture", ROUTE_SNAPSHOT, NULL},
    {"/Streaming/channels/101/picture", ROUTE_SNAPSHOT, NULL},
    {"/ISAPI/Streaming/channels/102/httpPreview", ROUTE_STREAM, NULL},
    {"/Streaming/channels/102/httpPreview", ROUTE_STREAM, NULL},
    {"/ISAPI/Security/userCheck", ROUTE_AUTH, NULL},
    {"/ISAPI/System/deviceInfo", ROUTE_AUTH, NULL},
    {"/PSIA/System/deviceInfo", ROUTE_AUTH, NULL},
    {"/onvif/device_service", ROUTE_ONVIF, NULL},
    {"/onvif/Media", ROUTE_ONVIF, NULL},
    {"/onvif/Events", ROUTE_ONVIF, NULL},
    {NULL, ROUTE_PAGE, NULL},
};

/* on every answer, pages and media alike */
static const persona_header_s netwave_headers[] = {
    {"Accept-Ranges", "bytes"},
    {NULL, NULL},
};

static const persona_route_s netwave_routes[] = {
    {"/", ROUTE_PAGE, "netwave/index.htm"},
    {"/index.htm", ROUTE_PAGE, "netwave/index.htm"},
    {"/live.htm", ROUTE_PAGE, "netwave/live.htm"},
    {"/videostream.cgi", ROUTE_STREAM, NULL},
    {"/snapshot.cgi", ROUTE_SNAPSHOT, NULL},
    {"/netwave.css", ROUTE_PAGE, "netwave/netwave.css"},
    {"/favicon.ico", ROUTE_PAGE, "netwave/favicon.ico"},
    {"/get_params.cgi", ROUTE_AUTH, NULL},
    {"/check_user.cgi", ROUTE_AUTH, NULL},
    {"/set_users.cgi", ROUTE_AUTH, NULL},
    {NULL, ROUTE_PAGE, NULL},
};

/* RTSP, for the two cameras that have it (the BB-HCM581 and the Netwave
 * MJPEG cameras serve video over HTTP only). Axis: what nmap's matcher for
 * Axis rtspd expects of an OPTIONS without CSeq (Public, nothing else), the
 * HTTP realm. Hikvision 5.x: the HTTP realm for Digest and Basic, the
 * firmware's own Date ("Date:  Mon, Jan 11 2021 14:34:40 GMT", two spaces),
 * and the CSeq echoed verbatim, which nmap's matcher of a Hikvision answer
 * to a SIP OPTIONS shows ("CSeq: 42 OPTIONS"). */
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
              "m=video 0 RTP/AVP 96\r\n"
              "b=AS:50000\r\n"
              "a=framerate:30.0\r\n"
              "a=transform:1,0,0;0,1,0;0,0,1\r\n"
              "a=control:trackID=1\r\n"
              "a=rtpmap:96 H264/90000\r\n"
              "a=fmtp:96 packetization-mode=1; profile-level-id=4d0029\r\n",
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
              "m=video 0 RTP/AVP 96\r\n"
              "c=IN IP4 0.0.0.0\r\n"
              "b=AS:5000\r\n"
              "a=recvonly\r\n"
              "a=x-dimensions:2048,1536\r\n"
              "a=control:trackID=1\r\n"
              "a=rtpmap:96 H264/90000\r\n"
              "a=fmtp:96 profile-level-id=420029; packetization-mode=1\r\n"
              "a=appversion:1.0\r\n",
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
    .po_rtsp_path = "/onvif-media/media.amp?profile=profile_1_h264&sessiontimeout=60&streamtype=unicast",
    .po_snapshot = "/axis-cgi/jpg/image.cgi",
    .po_profile = "profile_1_h264",
    .po_profile_name = "profile_1 h264",
    .po_source = "0",
    .po_source_conf = "0",
    .po_encoder = "default_1_h264",
    .po_encoder_name = "default_1 h264",
    .po_width = 1280, .po_height = 720, .po_fps = 30, .po_bitrate = 2147483647, .po_gop = 32,
    .po_scopes = {"onvif://www.onvif.org/type/video_encoder", "onvif://www.onvif.org/Profile/Streaming",
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
    .po_width = 2048, .po_height = 1536, .po_fps = 25, .po_bitrate = 4096, .po_gop = 50,
    .po_scopes = {"onvif://www.onvif.org/type/video_encoder", "onvif://www.onvif.org/Profile/Streaming",
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
        .pe_server = NULL,
        .pe_boundary = "myboundary",
        .pe_stream_type = "multipart/x-mixed-replace; boundary=myboundary",
        .pe_version = "HTTP/1.0",
        .pe_order = "DXTL",
        .pe_type_name = "Content-Type",
        .pe_stream_headers = axis_stream_headers,
        .pe_image_headers = axis_image_headers,
        .pe_routes = axis_routes,
        .pe_auth =
            "Digest realm=\"AXIS_ACCC8E4B21D7\", nonce=\"@NONCE@\", algorithm=MD5, qop=\"auth\"",
        .pe_error_ext = ".html",
        .pe_rtsp = &axis_rtsp,
        .pe_onvif = &axis_onvif,
    },
    {
        .pe_name = "panasonic",
        .pe_telnet_banner = "login: ",
        .pe_model = "BB-HCM581",
        .pe_server = NULL,
        .pe_boundary = "myboundary",
        .pe_stream_type = "multipart/x-mixed-replace; boundary=myboundary",
        /* nmap's matchers for the BB-HCM5xx: the status line, a lowercase
         * "Content-type" and nothing else before the body */
        .pe_version = "HTTP/1.0",
        .pe_order = "XT",
        .pe_type_name = "Content-type",
        .pe_no_date = 1,
        .pe_stream_headers = panasonic_stream_headers,
        .pe_image_headers = panasonic_image_headers,
        .pe_routes = panasonic_routes,
        .pe_auth = "Basic realm=\"BB-HCM581\"",
        .pe_error_ext = ".html",
    },
    {
        .pe_name = "hikvision",
        .pe_telnet_banner = "192.0.0.64 login: ", /* the cameras' busybox hostname (Rapid7 recog) */
        .pe_model = "DS-2CD2032-I",
        .pe_server = "App-webs/",
        .pe_boundary = "boundary",
        .pe_stream_type = "multipart/x-mixed-replace; boundary=boundary",
        /* nmap: "HTTP/1.0 200 OK\r\nDate: ...\r\nServer: App-webs/\r\n" */
        .pe_version = "HTTP/1.0",
        .pe_order = "DSCLTX",
        .pe_type_name = "Content-Type",
        .pe_routes = hik_routes,
        .pe_auth =
            "Digest qop=\"auth\", realm=\"IP Camera(C6269)\", nonce=\"@NONCE@\", stale=\"FALSE\"",
        .pe_error_ext = ".html",
        .pe_rtsp = &hik_rtsp,
        .pe_onvif = &hik_onvif,
    },
    {
        .pe_name = "netwave",
        .pe_telnet_banner = "(none) login: ",
        .pe_model = "IP Camera",
        .pe_server = "Netwave IP Camera",
        .pe_boundary = "ipcamera",
        .pe_stream_type = "multipart/x-mixed-replace;boundary=ipcamera",
        /* a capture: Server, Date (from 1970), Accept-Ranges, Connection, Content-Type */
        .pe_version = "HTTP/1.1",
        .pe_order = "SDXCTL",
        .pe_type_name = "Content-Type",
        .pe_epoch_date = 1,
        .pe_page_headers = netwave_headers,
        .pe_stream_headers = netwave_headers,
        .pe_image_headers = netwave_headers,
        .pe_routes = netwave_routes,
        .pe_auth = "Basic realm=\"index.html\"",
        .pe_error_ext = ".htm",
    },
};

const persona_s *persona_find(const char *name)
{
	for (size_t i = 0; i < sizeof(personas) / sizeof(personas[0]); i++)
		if (strcmp(personas[i].pe_name, name) == 0)
			return &personas[i];
	return NULL;
}

const persona_s *persona_all(size_t *n)
{
	*n = sizeof(personas) / sizeof(personas[0]);
	return personas;
}
