/* test_assets: persona pages exist, templates substitute escaped values. */
#include <stdio.h>
#include <stdlib.h>

#include "assets.h"
#include "escape.h"
#include "check.h"
#include "webface.h"

int main(void)
{
	size_t n, len;
	const persona_s *all = persona_all(&n);
	char buf[64];

	for (size_t i = 0; i < n; i++) {
		static const unsigned errs[] = {400, 401, 404, 405, 413, 414, 431, 500, 503};
		const asset_var_s pv[] = {{"CAMERA_NAME", "CAM"},
		                          {"MODEL", all[i].pe_model},
		                          {"WIDTH", "640"},
		                          {"HEIGHT", "480"},
		                          {"FPS", "10"}};
		const webface_s *wf = webface_of(&all[i]);
		CHECK(wf != NULL);
		if (wf == NULL)
			continue;
		for (const persona_route_s *r = wf->wf_routes; r->pr_path; r++)
			if (r->pr_kind == ROUTE_PAGE || r->pr_kind == ROUTE_LOGIN) {
				if (assets_find(r->pr_arg) == NULL)
					fprintf(stderr, "  missing asset %s\n", r->pr_arg);
				CHECK(assets_find(r->pr_arg) != NULL);
			}
		/* every error page exists, renders, and is the persona's own: no
		 * template variable left, no library's wording */
		for (size_t e = 0; e < sizeof(errs) / sizeof(errs[0]); e++) {
			char path[64];
			snprintf(path, sizeof(path), "%s/%u%s", all[i].pe_name, errs[e],
			         wf->wf_error_ext);
			const asset_s *as = assets_find(path);
			char *page = as != NULL ? assets_render(as, pv, 5, &len) : NULL;
			CHECK(page != NULL && len > 0);
			if (page == NULL)
				continue;
			CHECK(strstr(page, "@CAMERA_NAME@") == NULL &&
			      strstr(page, "@MODEL@") == NULL);
			CHECK(strstr(page, "microhttpd") == NULL &&
			      strstr(page, "Request malformed") == NULL);
			free(page);
		}
	}
	CHECK_STR(assets_mime("axis/viewer_index.shtml"), "text/html");
	CHECK_STR(assets_mime("x/favicon.ico"), "image/x-icon");
	CHECK_STR(assets_mime("noext"), "application/octet-stream");

	escape_html(buf, sizeof(buf), "<a href=\"x\">'&'</a>", 19);
	CHECK_STR(buf, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
	/* truncation never splits an entity */
	escape_html(buf, 8, "&&&&", 4);
	CHECK_STR(buf, "&amp;");

	const unsigned char tmpl[] = "<title>@MODEL@ - @CAMERA_NAME@</title>@UNKNOWN@ a@b";
	asset_s as = {"t.html", tmpl, sizeof(tmpl) - 1};
	asset_var_s vars[] = {{"MODEL", "AXIS M1124"}, {"CAMERA_NAME", "<script>x</script>"}};
	char *out = assets_render(&as, vars, 2, &len);
	CHECK(out != NULL);
	CHECK_STR(out, "<title>AXIS M1124 - &lt;script&gt;x&lt;/script&gt;</title>@UNKNOWN@ a@b");
	CHECK(len == strlen(out));
	free(out);
	return check_report();
}
