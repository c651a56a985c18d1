/* test_config: defaults, every key's bounds, file parsing, and error messages naming the key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "config.h"
#include "config_keys.h"

static int set(config_s *c, const char *k, const char *v, char *err)
{
	return config_set(c, k, v, err, 256);
}

static int args(config_s *c, char *err, int argc, char **argv)
{
	return config_parse_args(c, argc, argv, err, 256);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

int main(void)
{
	config_s c;
	char err[256];

	config_defaults(&c);
	CHECK_STR(c.cfg_listen, "127.0.0.1:8080");
	CHECK_STR(c.cfg_persona->pe_name, "axis");
	CHECK(c.cfg_w == 640 && c.cfg_h == 480 && c.cfg_fps == 10 && c.cfg_quality == 0);
	CHECK(c.cfg_max_connections >= 4096);
	CHECK(c.cfg_addr.ss_family == AF_INET);

	CHECK(set(&c, "fps", "15", err) == 0 && c.cfg_fps == 15);
	CHECK(set(&c, "fps", "0", err) == -1 && strstr(err, "fps") != NULL);
	CHECK(set(&c, "fps", "31", err) == -1);
	CHECK(set(&c, "fps", "10x", err) == -1);
	CHECK(set(&c, "fps", "", err) == -1);
	CHECK(set(&c, "fps", "99999999999999999999", err) == -1);
	CHECK(set(&c, "quality", "100", err) == 0 && set(&c, "quality", "101", err) == -1);
	CHECK(set(&c, "size", "1280x720", err) == 0 && c.cfg_w == 1280 && c.cfg_h == 720);
	CHECK(set(&c, "size", "641x480", err) == -1 && strstr(err, "size") != NULL);
	CHECK(set(&c, "size", "100x100", err) == -1);
	CHECK(set(&c, "size", "640x", err) == -1);
	CHECK(set(&c, "size", "640x480x", err) == -1);
	CHECK(set(&c, "listen", "[::1]:9000", err) == 0 && c.cfg_addr.ss_family == AF_INET6);
	CHECK(set(&c, "listen", "0.0.0.0:80", err) == 0 && c.cfg_addr.ss_family == AF_INET);
	CHECK(set(&c, "listen", "localhost:80", err) == -1 && strstr(err, "listen") != NULL);
	CHECK(set(&c, "listen", "127.0.0.1:0", err) == -1);
	CHECK(set(&c, "listen", "127.0.0.1:65536", err) == -1);
	CHECK(set(&c, "listen", "127.0.0.1", err) == -1);
	CHECK(set(&c, "listen", "[::1:80", err) == -1);
	CHECK(set(&c, "persona", "hikvision", err) == 0 &&
	      strcmp(c.cfg_persona->pe_name, "hikvision") == 0);
	CHECK(set(&c, "persona", "sony", err) == -1 && strstr(err, "persona") != NULL);
	CHECK(set(&c, "camera-name", "Lobby \"East\"", err) == 0);
	CHECK(set(&c, "camera-name", "bad\x1b[31m", err) == -1 && strstr(err, "\\x1b") != NULL);
	CHECK(set(&c, "camera-name",
	          "0123456789012345678901234567890123456789012345678901234567890123456",
	          err) == -1);
	CHECK(set(&c, "nonsense", "1", err) == -1 && strstr(err, "nonsense") != NULL);
	/* error text quotes hostile values safely */
	CHECK(set(&c, "fps", "\x1b]0;pwn\x07", err) == -1 && strchr(err, 0x1b) == NULL);

	/* command line: both forms, and flags override the file */
	char tmpl[] = "/tmp/camdecoy-test-XXXXXX";
	int fd = mkstemp(tmpl);
	CHECK(fd >= 0);
	close(fd);
	write_file(
	    tmpl,
	    "# comment\n  fps = 5  \npersona = netwave # trailing\ncamera-name = \" Gate \"\n\n");
	char *argv1[] = {"camdecoy", "--config", tmpl, "--fps=12", NULL};
	CHECK(args(&c, err, 4, argv1) == 0);
	CHECK(c.cfg_fps == 12);
	CHECK_STR(c.cfg_persona->pe_name, "netwave");
	CHECK_STR(c.cfg_camera_name, " Gate ");
	char *argv2[] = {"camdecoy", "--fps=12", "--config", tmpl, NULL};
	CHECK(args(&c, err, 4, argv2) == 0 && c.cfg_fps == 12);

	write_file(tmpl, "fps = 5\nquality = -1\n");
	char *argv3[] = {"camdecoy", "--config", tmpl, NULL};
	CHECK(args(&c, err, 3, argv3) == -1);
	CHECK(strstr(err, ":2:") != NULL && strstr(err, "quality") != NULL);
	write_file(tmpl, "fps 5\n");
	CHECK(args(&c, err, 3, argv3) == -1 && strstr(err, ":1:") != NULL);
	write_file(tmpl, "fsp = 5\n");
	CHECK(args(&c, err, 3, argv3) == -1 && strstr(err, "fsp") != NULL);
	unlink(tmpl);
	CHECK(args(&c, err, 3, argv3) == -1 && strstr(err, "cannot open") != NULL);

	char *argv4[] = {"camdecoy", "--fps", NULL};
	CHECK(args(&c, err, 2, argv4) == -1 && strstr(err, "fps") != NULL);
	char *argv5[] = {"camdecoy", "stray", NULL};
	CHECK(args(&c, err, 2, argv5) == -1);
	char *argv6[] = {"camdecoy", "--check-config", "--persona", "panasonic", NULL};
	CHECK(args(&c, err, 4, argv6) == 0 && c.cfg_check_only == 1);

	/* the key table: each default is a value its own key accepts, and
	 * setting it again changes nothing */
	size_t nk;
	const key_s *keys = config_keys(&nk);
	CHECK(nk > 50 && config_key_find("listen") == &keys[0]);
	for (size_t i = 0; i < nk; i++) {
		config_s d, e;
		if (keys[i].k_default == NULL)
			continue;
		config_defaults(&d);
		memcpy(&e, &d, sizeof(e));
		CHECK(config_set(&e, keys[i].k_name, keys[i].k_default, err, sizeof(err)) == 0);
		if (memcmp(&d, &e, sizeof(d)) != 0)
			fprintf(stderr, "  default of %s is not what it parses to\n",
			        keys[i].k_name);
		CHECK(memcmp(&d, &e, sizeof(d)) == 0);
	}
	/* an enumeration's error lists the names it takes, from its table */
	CHECK(set(&c, "trap-mode", "x", err) == -1);
	CHECK_STR(err, "trap-mode: must be per-viewer, static or off (got \"x\")");
	CHECK(set(&c, "allow-root", "maybe", err) == -1);
	CHECK_STR(err, "allow-root: must be yes or no (got \"maybe\")");
	CHECK(set(&c, "persona", "sony", err) == -1);
	CHECK_STR(err,
	          "persona: must be one of axis, panasonic, hikvision, netwave (got \"sony\")");
	CHECK(set(&c, "allow-root", "true", err) == 0 && c.cfg_allow_root == 1);
	return check_report();
}
