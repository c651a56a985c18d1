/* process: signals, the time zone, root, descriptors and the switch of user. */
#include "stage.h"

#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

/* Signals are taken by sigwait in main only; every thread inherits the mask. */
void process_block_signals(sigset_t *sigs)
{
	sigemptyset(sigs);
	sigaddset(sigs, SIGINT);
	sigaddset(sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* The camera's zone: its OSD clock and its day and night (records stay UTC
 * milliseconds); read now, before any sandbox. */
void process_set_zone(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

/* Before anything is created as root. */
int process_refuse_root(const config_s *cfg, char *err, size_t errlen)
{
	if (geteuid() != 0 || cfg->cfg_user[0] != '\0' || cfg->cfg_allow_root)
		return 0;
	snprintf(err, errlen,
	         "user: refusing to run as root; give --user NAME to switch after binding, or "
	         "--allow-root");
	return -1;
}

/* Every connection needs a descriptor; leave room for files and the database. */
void process_raise_nofile(int connections)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)connections + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = want <= rl.rlim_max ? want : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur < want)
		log_warnx("only %llu file descriptors available for %d connections",
		          (unsigned long long)rl.rlim_cur, connections);
}

/* The name stored on every row: the host name unless one is configured. */
void process_default_sensor(config_s *cfg)
{
	if (cfg->cfg_sensor_id[0] == '\0' &&
	    gethostname(cfg->cfg_sensor_id, sizeof(cfg->cfg_sensor_id) - 1) != 0)
		snprintf(cfg->cfg_sensor_id, sizeof(cfg->cfg_sensor_id), "%s", "camdecoy");
}

/* After binding and opening every file: become user (and its group), with
 * no way back. */
int process_drop_privileges(const char *user, char *err, size_t errlen)
{
	struct passwd *pw;

	if (user[0] == '\0')
		return 0;
	if ((pw = getpwnam(user)) == NULL) {
		snprintf(err, errlen, "user: no such user \"%s\"", user);
		return -1;
	}
	if (geteuid() != 0) {
		if (pw->pw_uid == geteuid())
			return 0;
		snprintf(err, errlen, "user: only root can switch to \"%s\"", user);
		return -1;
	}
	if (setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0) {
		snprintf(err, errlen, "user: cannot switch to \"%s\": %s", user, strerror(errno));
		return -1;
	}
	if (pw->pw_uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		snprintf(err, errlen,
		         "user: root privileges could be regained after switching to \"%s\"", user);
		return -1;
	}
	return 0;
}

int process_wait(const sigset_t *sigs)
{
	int sig = 0;

	while (sigwait(sigs, &sig) != 0 || (sig != SIGINT && sig != SIGTERM))
		;
	return sig;
}
