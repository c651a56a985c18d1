/* login_stage: the trap's credentials, the webhook and the matcher every
 * door hands its logins to, from the trap and webhook keys. */
#include "stage.h"

#include <stdio.h>

#include "credstore.h"
#include "log.h"

/* The trap, per viewer with its own connection to the database: logins
 * match every credential ever shown, before a restart too; numbers are
 * reserved before any is shown. cs is set when the matcher should own it. */
static int trap_from(daemon_s *dm, credstore_s **cs, char *err, size_t errlen)
{
	const config_s *cfg = dm->dm_cfg;
	uint8_t key[16];
	trap_seq_s seq = {.ts_key = key};

	if (cfg->cfg_trap_mode == TRAP_OFF)
		return 0;
	if (cfg->cfg_trap_mode == TRAP_PER_VIEWER &&
	    ((*cs = credstore_open(cfg->cfg_db, err, errlen)) == NULL ||
	     credstore_begin(*cs, key, &seq.ts_next, &seq.ts_reserved, TRAP_RESERVE_BLOCK, err,
	                     errlen) != 0))
		return -1;
	dm->dm_trap =
	    trap_new((trap_mode_e)cfg->cfg_trap_mode, cfg->cfg_trap_user, cfg->cfg_trap_password,
	             cfg->cfg_trap_mode == TRAP_PER_VIEWER ? &seq : NULL);
	if (dm->dm_trap == NULL) {
		snprintf(err, errlen, "trap: out of memory");
		return -1;
	}
	return 0;
}

int login_stage_open(daemon_s *dm, char *err, size_t errlen)
{
	const config_s *cfg = dm->dm_cfg;
	credstore_s *cs = NULL;

	if (trap_from(dm, &cs, err, errlen) != 0) {
		credstore_close(cs);
		return -1;
	}
	if (cfg->cfg_webhook[0] != '\0' &&
	    (dm->dm_hook = webhook_new(cfg->cfg_webhook, err, errlen)) == NULL) {
		credstore_close(cs);
		return -1;
	}
	const login_ctx_s direct = {
	    .lc_store = dm->dm_store,
	    .lc_trap = dm->dm_trap,
	    .lc_hook = dm->dm_hook,
	    .lc_hook_exploits = cfg->cfg_webhook_exploits,
	    .lc_sensor = cfg->cfg_sensor_id,
	    .lc_persona = cfg->cfg_persona->pe_name,
	};
	dm->dm_matcher = matcher_new(&direct, cs, err, errlen); /* takes cs */
	if (dm->dm_matcher == NULL)
		return -1;
	if (dm->dm_trap != NULL)
		trap_set_reserver(dm->dm_trap, matcher_reserve, dm->dm_matcher);
	dm->dm_login = direct;
	dm->dm_login.lc_sink = matcher_sink(dm->dm_matcher);
	return 0;
}

/* After the matcher has stopped: the webhook's figures, then everything freed. */
void login_stage_free(daemon_s *dm)
{
	if (dm->dm_hook != NULL) {
		webhook_stats_s ws;
		webhook_stats(dm->dm_hook, &ws);
		log_info("webhook: %llu sent, %llu failed attempts, %llu given up, %llu dropped",
		         (unsigned long long)ws.wh_sent, (unsigned long long)ws.wh_failed_attempts,
		         (unsigned long long)ws.wh_given_up, (unsigned long long)ws.wh_dropped);
	}
	webhook_free(dm->dm_hook);
	matcher_free(dm->dm_matcher);
	trap_free(dm->dm_trap);
	dm->dm_hook = NULL;
	dm->dm_matcher = NULL;
	dm->dm_trap = NULL;
}
