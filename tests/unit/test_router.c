/* test_router: every persona's paths, with and without query strings, map to the right handler. */
#include <string.h>

#include "check.h"
#include "router.h"

static int kind_of(const char *persona, const char *method, const char *path, route_kind_e *kind)
{
	router_match_s m;

	router_match(persona_find(persona), method, path, strlen(path), &m);
	if (m.rm_result != ROUTER_OK)
		return (int)m.rm_result;
	*kind = m.rm_route->pr_kind;
	return 0;
}

static void expect(const char *persona, const char *path, route_kind_e want)
{
	route_kind_e k = ROUTE_PAGE;
	int rc = kind_of(persona, "GET", path, &k);

	if (rc != 0 || k != want)
		fprintf(stderr, "  %s %s: result %d kind %d, want kind %d\n", persona, path, rc,
		        (int)k, (int)want);
	CHECK(rc == 0 && k == want);
}

static void expect_404(const char *persona, const char *path)
{
	route_kind_e k;
	CHECK(kind_of(persona, "GET", path, &k) == ROUTER_NOT_FOUND);
}

static int same_osd(const camera_osd_s *a, const camera_osd_s *b)
{
	return a->osd_clock == b->osd_clock && a->osd_clock_at == b->osd_clock_at &&
	       a->osd_name == b->osd_name && a->osd_dress == b->osd_dress &&
	       a->osd_glyph_div == b->osd_glyph_div;
}

int main(void)
{
	size_t n;
	const persona_s *all = persona_all(&n);

	CHECK(n == 4);
	CHECK(persona_find("axis") != NULL);
	CHECK(persona_find("AXIS") == NULL);
	CHECK(persona_find("") == NULL);

	/* Every persona draws its own picture, offers the default 640x480 and
	 * says so first, with a quality the encoder takes. */
	for (size_t i = 0; i < n; i++) {
		const persona_picture_s *pp = all[i].pe_picture;
		CHECK(pp != NULL);
		if (pp == NULL)
			continue;
		CHECK(persona_offers_size(&all[i], 640, 480));
		CHECK(strncmp(pp->pp_sizes, "640x480", 7) == 0);
		CHECK(pp->pp_quality >= 1 && pp->pp_quality <= 100);
		CHECK(pp->pp_osd.osd_glyph_div >= 8 && pp->pp_osd.osd_glyph_div <= 80);
		CHECK(!persona_offers_size(&all[i], 640, 48) &&
		      !persona_offers_size(&all[i], 64, 480));
	}
	CHECK(persona_offers_size(persona_find("panasonic"), 192, 144));
	CHECK(!persona_offers_size(persona_find("netwave"), 1280, 720));
	/* no two vendors draw the same OSD */
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			CHECK(!same_osd(&all[i].pe_picture->pp_osd, &all[j].pe_picture->pp_osd));

	/* axis */
	expect("axis", "/mjpg/video.mjpg", ROUTE_STREAM);
	expect("axis", "/mjpg/video.mjpg?1518051386", ROUTE_STREAM);
	expect("axis", "/axis-cgi/mjpg/video.cgi?resolution=640x480&fps=15&COUNTER", ROUTE_STREAM);
	expect("axis", "/jpg/image.jpg?", ROUTE_SNAPSHOT);
	expect("axis", "/axis-cgi/jpg/image.cgi?resolution=320x240", ROUTE_SNAPSHOT);
	expect("axis", "/view/viewer_index.shtml?id=0", ROUTE_PAGE);
	expect("axis", "/", ROUTE_PAGE);
	expect("axis", "/axis-cgi/admin/param.cgi?action=list", ROUTE_AUTH);
	expect_404("axis", "/videostream.cgi");
	expect_404("axis", "/mjpg/video.mjpgX");
	expect_404("axis", "/mjpg/video");
	expect_404("axis", "");
	expect_404("axis", "?/mjpg/video.mjpg");

	/* panasonic: snapshot polling camera */
	expect("panasonic", "/SnapshotJPEG?Resolution=640x480&Quality=Clarity&123", ROUTE_SNAPSHOT);
	expect("panasonic", "/nphMotionJpeg?Resolution=640x480&Quality=Standard", ROUTE_STREAM);
	expect("panasonic", "/cgi-bin/camera?resolution=640&quality=1&Language=0", ROUTE_SNAPSHOT);
	expect("panasonic", "/CgiStart?page=Single&Language=0", ROUTE_PAGE);
	expect("panasonic", "/", ROUTE_PAGE); /* the frameset */
	expect("panasonic", "/CgiTagMenu?page=Top&Language=0", ROUTE_PAGE);
	expect("panasonic", "/BarFoot.html", ROUTE_PAGE);
	expect_404("panasonic", "/snapshotjpeg");

	route_kind_e k;
	/* hikvision */
	expect("hikvision", "/ISAPI/Streaming/channels/101/picture", ROUTE_SNAPSHOT);
	expect("hikvision", "/Streaming/channels/1/picture?snapShotImageType=JPEG", ROUTE_SNAPSHOT);
	expect("hikvision", "/doc/page/login.asp?_1518051386", ROUTE_LOGIN);
	CHECK(kind_of("hikvision", "POST", "/doc/page/login.asp", &k) == 0 && k == ROUTE_LOGIN);
	CHECK(kind_of("hikvision", "POST", "/doc/css/hik.css", &k) == ROUTER_BAD_METHOD);
	expect("hikvision", "/ISAPI/Security/userCheck", ROUTE_AUTH);
	expect_404("hikvision", "/mjpg/video.mjpg");

	/* netwave */
	expect("netwave", "/videostream.cgi?user=admin&pwd=", ROUTE_STREAM);
	expect("netwave", "/snapshot.cgi?rand=42", ROUTE_SNAPSHOT);
	expect_404("netwave", "/jpg/image.jpg");

	/* methods */
	CHECK(kind_of("axis", "HEAD", "/mjpg/video.mjpg", &k) == 0);
	CHECK(kind_of("axis", "POST", "/mjpg/video.mjpg", &k) == ROUTER_BAD_METHOD);
	CHECK(kind_of("axis", "POST", "/operator/basic.shtml", &k) == 0 && k == ROUTE_AUTH);
	CHECK(kind_of("axis", "DELETE", "/", &k) == ROUTER_BAD_METHOD);
	CHECK(kind_of("axis", "PROPFIND", "/nothing", &k) == ROUTER_BAD_METHOD);
	CHECK(kind_of("axis", "POST", "/nothing", &k) == ROUTER_NOT_FOUND);

	/* every persona has a web face of its own, and serves a stream, a snapshot and a page, and
	 * names only assets that exist in the build */
	for (size_t i = 0; i < n; i++) {
		int streams = 0, snaps = 0, pages = 0;
		const webface_s *wf = webface_of(&all[i]);
		CHECK(wf != NULL); /* every persona has its web pages */
		if (wf == NULL)
			continue;
		for (const persona_route_s *r = wf->wf_routes; r->pr_path; r++) {
			streams += r->pr_kind == ROUTE_STREAM;
			snaps += r->pr_kind == ROUTE_SNAPSHOT;
			pages += r->pr_kind == ROUTE_PAGE || r->pr_kind == ROUTE_LOGIN;
		}
		CHECK(streams > 0 && snaps > 0 && pages > 0);
	}
	return check_report();
}
