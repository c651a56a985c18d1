/* config: the key table (config_keys.c) walked for the defaults, the file, the flags and --help. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_keys.h"

void config_defaults(config_s *cfg)
{
	size_t n;
	const key_s *keys = config_keys(&n);
	char err[256];

	memset(cfg, 0, sizeof(*cfg));
	for (size_t i = 0; i < n; i++)
		if (keys[i].k_default != NULL &&
		    keys[i].k_set(cfg, &keys[i], keys[i].k_default, "", err, sizeof(err)) != 0 &&
		    keys[i].k_cap > 0)
			/* a default this system cannot check (no zone file for UTC):
			 * the text itself, as when defaults were not checked */
			snprintf(FIELD(cfg, &keys[i], char), keys[i].k_cap, "%s",
			         keys[i].k_default);
}

/* Quotes operator text for an error message: printable ASCII only, bounded. */
static void quote(char *dst, size_t cap, const char *src)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)src; *p && n + 5 < cap; p++) {
		if (*p >= 0x20 && *p < 0x7f && *p != '\\') {
			dst[n++] = (char)*p;
		} else {
			snprintf(dst + n, cap - n, "\\x%02x", *p);
			n += 4;
		}
	}
	if (*src && n + 5 >= cap && n + 3 < cap) {
		memcpy(dst + n, "...", 3);
		n += 3;
	}
	dst[n] = '\0';
}

int config_set(config_s *cfg, const char *key, const char *value, char *err, size_t errlen)
{
	char qv[96], qk[64];
	const key_s *k = config_key_find(key);

	quote(qk, sizeof(qk), key);
	quote(qv, sizeof(qv), value);
	if (k == NULL) {
		snprintf(err, errlen, "unknown key \"%s\"", qk);
		return -1;
	}
	return k->k_set(cfg, k, value, qv, err, errlen);
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

int config_load_file(config_s *cfg, const char *path, char *err, size_t errlen)
{
	char line[PATH_MAX + 128], qp[128], msg[256];
	FILE *f = fopen(path, "r");
	int lineno = 0;

	quote(qp, sizeof(qp), path);
	if (f == NULL) {
		snprintf(err, errlen, "config: cannot open %s: %s", qp, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p, *eq, *key, *value;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, errlen, "%s:%d: line too long", qp, lineno);
			fclose(f);
			return -1;
		}
		if ((p = strchr(line, '#')) != NULL)
			*p = '\0';
		p = trim(line);
		if (*p == '\0')
			continue;
		eq = strchr(p, '=');
		if (eq == NULL) {
			quote(msg, 64, p);
			snprintf(err, errlen, "%s:%d: expected \"key = value\" (got \"%s\")", qp,
			         lineno, msg);
			fclose(f);
			return -1;
		}
		*eq = '\0';
		key = trim(p);
		value = trim(eq + 1);
		/* Values may be quoted so that they can keep spaces at the ends. */
		if (strlen(value) >= 2 && value[0] == '"' && value[strlen(value) - 1] == '"') {
			value[strlen(value) - 1] = '\0';
			value++;
		}
		if (strcmp(key, "config") == 0 ||
		    config_set(cfg, key, value, msg, sizeof(msg)) != 0) {
			if (strcmp(key, "config") == 0)
				snprintf(msg, sizeof(msg),
				         "config: cannot be set from a configuration file");
			snprintf(err, errlen, "%s:%d: %s", qp, lineno, msg);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

/* A yes/no key, which a flag may give without a value. */
static int config_is_flag(const char *key)
{
	const key_s *k = config_key_find(key);

	return k != NULL && config_key_is_flag(k);
}

/* Doors the persona's camera never had: answering on them would be a tell. */
static int check_persona(const config_s *cfg, char *err, size_t errlen)
{
	if (cfg->cfg_rtsp[0] != '\0' && cfg->cfg_persona->pe_rtsp == NULL) {
		snprintf(err, errlen,
		         "rtsp: the %s persona's camera (%s) has no RTSP server; use axis or "
		         "hikvision, or leave rtsp empty",
		         cfg->cfg_persona->pe_name, cfg->cfg_persona->pe_model);
		return -1;
	}
	if (cfg->cfg_onvif_discovery != 0 && cfg->cfg_persona->pe_onvif == NULL) {
		snprintf(err, errlen,
		         "onvif-discovery: the %s persona's camera (%s) has no ONVIF; use axis or "
		         "hikvision, or leave onvif-discovery off",
		         cfg->cfg_persona->pe_name, cfg->cfg_persona->pe_model);
		return -1;
	}
	return 0;
}

int config_parse_args(config_s *cfg, int argc, char **argv, char *err, size_t errlen)
{
	config_defaults(cfg);
	/* The file first, so that flags override it whatever their order. */
	for (int i = 1; i < argc; i++) {
		const char *file = NULL;
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			file = argv[i + 1];
		else if (strncmp(argv[i], "--config=", 9) == 0)
			file = argv[i] + 9;
		if (file != NULL && config_load_file(cfg, file, err, errlen) != 0)
			return -1;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *value;
		char key[64], qa[64];
		const char *eq;

		quote(qa, sizeof(qa), a);
		if (strcmp(a, "--check-config") == 0) {
			cfg->cfg_check_only = 1;
			continue;
		}
		if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
			cfg->cfg_verbose = 1;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			cfg->cfg_help = 1;
			continue;
		}
		if (strcmp(a, "--version") == 0) {
			cfg->cfg_version = 1;
			continue;
		}
		if (strncmp(a, "--", 2) != 0) {
			snprintf(err, errlen, "unexpected argument \"%s\"", qa);
			return -1;
		}
		eq = strchr(a, '=');
		if (eq != NULL) {
			if ((size_t)(eq - a - 2) >= sizeof(key)) {
				snprintf(err, errlen, "unknown option \"%s\"", qa);
				return -1;
			}
			memcpy(key, a + 2, (size_t)(eq - a - 2));
			key[eq - a - 2] = '\0';
			value = eq + 1;
		} else {
			if (strlen(a + 2) >= sizeof(key)) {
				snprintf(err, errlen, "unknown option \"%s\"", qa);
				return -1;
			}
			snprintf(key, sizeof(key), "%s", a + 2);
			if (config_is_flag(key)) {
				/* --allow-root alone means yes */
				if (config_set(cfg, key, "yes", err, errlen) != 0)
					return -1;
				continue;
			}
			if (i + 1 >= argc) {
				snprintf(err, errlen, "%s: needs a value", key);
				return -1;
			}
			value = argv[++i];
		}
		if (strcmp(key, "config") == 0)
			continue;
		if (config_set(cfg, key, value, err, errlen) != 0)
			return -1;
	}
	return check_persona(cfg, err, errlen);
}

void config_osd_font(const config_s *cfg, const char *face, char *out, size_t cap)
{
	const char *def = config_key_find("font")->k_default;
	const char *slash = strrchr(def, '/');

	snprintf(out, cap, "%s", cfg->cfg_font);
	if (strcmp(cfg->cfg_font, def) != 0 || face == NULL || slash == NULL)
		return;
	snprintf(out, cap, "%.*s/%s", (int)(slash - def), def, face);
	if (access(out, R_OK) != 0)
		snprintf(out, cap, "%s", cfg->cfg_font);
}

void config_usage(FILE *out)
{
	fputs("usage: camdecoy [--config FILE] [--check-config] [--verbose] [--KEY VALUE ...]\n\n"
	      "Every KEY can also be set as \"KEY = VALUE\" in the configuration file.\n\n",
	      out);
	config_s d;

	/* integers with their bounds and default, from the table itself
	 * (camdecoy.conf(5) is checked against these lines) */
	config_defaults(&d);
	size_t n;
	const key_s *keys = config_keys(&n);
	for (size_t i = 0; i < n; i++) {
		const key_s *k = &keys[i];
		fprintf(out, "  --%-20s %s", k->k_name, k->k_help);
		if (config_key_is_int(k))
			fprintf(out, " [%ld..%ld, default %d]", k->k_min, k->k_max,
			        *(const int *)((const char *)&d + k->k_off));
		fputc('\n', out);
	}
}
