/* webface: route and header tables of each persona's web server.
 *
 * Bytes here follow public captures and vendor API documentation (see
 * shared/field-notes.md and docs/deception.md's persona table); where a detail is
 * not known it is left out rather than invented. */
#include "webface.h"

#include <string.h>

#include <stdio.h>
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

static const webface_s faces[] = {
    {
        .wf_name = "axis",
        .wf_server = NULL,
        .wf_boundary = "myboundary",
        .wf_stream_type = "multipart/x-mixed-replace; boundary=myboundary",
        .wf_version = "HTTP/1.0",
        .wf_order = "DXTL",
        .wf_type_name = "Content-Type",
        .wf_stream_headers = axis_stream_headers,
        .wf_image_headers = axis_image_headers,
        .wf_routes = axis_routes,
        .wf_auth =
            "Digest realm=\"AXIS_ACCC8E4B21D7\", nonce=\"@NONCE@\", algorithm=MD5, qop=\"auth\"",
        .wf_error_ext = ".html",
    },
    {
        .wf_name = "panasonic",
        .wf_server = NULL,
        .wf_boundary = "myboundary",
        .wf_stream_type = "multipart/x-mixed-replace; boundary=myboundary",
        /* nmap's matchers for the BB-HCM5xx: the status line, a lowercase
         * "Content-type" and nothing else before the body */
        .wf_version = "HTTP/1.0",
        .wf_order = "XT",
        .wf_type_name = "Content-type",
        .wf_no_date = 1,
        .wf_stream_headers = panasonic_stream_headers,
        .wf_image_headers = panasonic_image_headers,
        .wf_routes = panasonic_routes,
        .wf_auth = "Basic realm=\"BB-HCM581\"",
        .wf_error_ext = ".html",
    },
    {
        .wf_name = "hikvision",
        .wf_server = "App-webs/",
        .wf_boundary = "boundary",
        .wf_stream_type = "multipart/x-mixed-replace; boundary=boundary",
        /* nmap: "HTTP/1.0 200 OK\r\nDate: ...\r\nServer: App-webs/\r\n" */
        .wf_version = "HTTP/1.0",
        .wf_order = "DSCLTX",
        .wf_type_name = "Content-Type",
        .wf_routes = hik_routes,
        .wf_auth =
            "Digest qop=\"auth\", realm=\"IP Camera(C6269)\", nonce=\"@NONCE@\", stale=\"FALSE\"",
        .wf_error_ext = ".html",
    },
    {
        .wf_name = "netwave",
        .wf_server = "Netwave IP Camera",
        .wf_boundary = "ipcamera",
        .wf_stream_type = "multipart/x-mixed-replace;boundary=ipcamera",
        /* a capture: Server, Date (from 1970), Accept-Ranges, Connection, Content-Type */
        .wf_version = "HTTP/1.1",
        .wf_order = "SDXCTL",
        .wf_type_name = "Content-Type",
        .wf_epoch_date = 1,
        .wf_page_headers = netwave_headers,
        .wf_stream_headers = netwave_headers,
        .wf_image_headers = netwave_headers,
        .wf_routes = netwave_routes,
        .wf_auth = "Basic realm=\"index.html\"",
        .wf_error_ext = ".htm",
    },
};

const webface_s *webface_of(const persona_s *pe)
{
	for (size_t i = 0; i < sizeof(faces) / sizeof(faces[0]); i++)
		if (strcmp(faces[i].wf_name, pe->pe_name) == 0)
			return &faces[i];
	return NULL;
}
