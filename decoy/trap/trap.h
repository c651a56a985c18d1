/* trap: trap credentials: generation, the registry of every one shown, and login matching. */
#ifndef CAMDECOY_TRAP_H
#define CAMDECOY_TRAP_H

#include <stddef.h>
#include <stdint.h>

/* As long as configuration names (trap-user, trap-password). */
#define TRAP_FIELD_MAX 64

typedef enum { TRAP_OFF, TRAP_STATIC, TRAP_PER_VIEWER } trap_mode_e;

typedef enum {
	MATCH_NONE,
	MATCH_EXACT,    /* username and password of one view's credential */
	MATCH_PASSWORD, /* a view's password with another username */
	MATCH_USERNAME, /* a username only one view was shown, wrong password */
	MATCH_STATIC,   /* the static credential (static mode: shown to everyone) */
} trap_match_e;

/* A credential and the view that showed it. */
typedef struct {
	int64_t tc_view_id;      /* 0 for the static credential */
	char tc_user[TRAP_FIELD_MAX + 1];
	char tc_pass[TRAP_FIELD_MAX + 1];
	int64_t tc_shown_at;     /* ms, first frame that showed it */
	char tc_ip[46];
	char tc_country[3];
	char tc_referer_class[16];
} trap_cred_s;

typedef struct trap trap_s;

/* static_user/static_pass are copied (used in TRAP_STATIC mode). */
trap_s *trap_new(trap_mode_e mode, const char *static_user, const char *static_pass);
void trap_free(trap_s *t);
trap_mode_e trap_mode(const trap_s *t);
const char *trap_match_name(trap_match_e m);

/* Per-viewer: a new credential never issued before in this registry, drawn
 * from the system CSPRNG, registered for view_id. Static: the static one.
 * Fills out (the identity fields are copied from the arguments). 0 or -1. */
int trap_issue(trap_s *t, int64_t view_id, int64_t shown_at, const char *ip, const char *country,
               const char *referer_class, trap_cred_s *out);

/* Registers a credential read back from the database at start-up. */
int trap_add(trap_s *t, const trap_cred_s *c);
size_t trap_count(const trap_s *t);

/* Classifies a login attempt; *out is the credential it matched (if any). */
trap_match_e trap_match(trap_s *t, const char *user, size_t ulen, const char *pass, size_t plen,
                        trap_cred_s *out);

/* Tries every registered credential whose username is user (length-bounded)
 * with ok(); the first accepted is copied to *out. Returns 1 if found. Used
 * for HTTP Digest, where only a hash of the password arrives. */
int trap_find_user(trap_s *t, const char *user, size_t ulen,
                   int (*ok)(const trap_cred_s *c, void *arg), void *arg, trap_cred_s *out);

/* Generates one realistic credential (exposed for the tests): 0, or -1 when
 * the system's randomness failed (both fields are then empty). */
int trap_generate(char user[TRAP_FIELD_MAX + 1], char pass[TRAP_FIELD_MAX + 1]);

/* The words passwords are built from: no i, l or o, so OCR and people do not
 * confuse them with digits. */
extern const char *const trap_words[];

#endif
