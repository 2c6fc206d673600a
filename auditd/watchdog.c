// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "auditd/ipe_explain.h"
#include "auditd/ipefs.h"
#include "auditd/watchdog.h"
#include "lib/fileio.h"
#include "lib/macro.h"

int switch_revert(const struct switch_state *s, char **ret_message)
{
	_cleanup_free_ char *why = NULL;
	char *msg = NULL;
	int r, k;

	r = ipe_set_enforce(false);
	if (r < 0) {
		struct ipe_explain_ctx c = { .step = IPE_STEP_ENFORCE,
					     .name = s->name,
					     .version = s->version };

		why = ipe_explain(r, &c);
		k = asprintf(&msg, "could not set enforce=0: %s; %s %s stays active in enforce mode",
			     why ?: "", s->name, s->version ?: "?");
	} else if (s->prev_name && !streq(s->prev_name, s->name)) {
		k = ipe_policy_activate(s->prev_name);
		if (k >= 0)
			k = asprintf(&msg, "enforce=0, and the previous policy %s %s is active again",
				     s->prev_name, s->prev_version ?: "?");
		else {
			struct ipe_explain_ctx c = { .step = IPE_STEP_ACTIVATE,
						     .name = s->prev_name,
						     .version = s->prev_version,
						     .active_name = s->name,
						     .active_version = s->version };

			why = ipe_explain(k, &c);
			k = asprintf(&msg, "enforce=0; %s; %s %s stays active, in permissive mode",
				     why ?: "", s->name, s->version ?: "?");
		}
	} else if (s->prev_name)
		k = asprintf(&msg,
			     "enforce=0; the previous version %s of %s was replaced by the update and "
			     "cannot come back; %s %s stays active, in permissive mode",
			     s->prev_version ?: "?", s->name, s->name, s->version ?: "?");
	else
		k = asprintf(&msg,
			     "enforce=0; no policy was active before and IPE cannot deactivate one; "
			     "%s %s stays active, in permissive mode",
			     s->name, s->version ?: "?");
	*ret_message = k < 0 ? NULL : msg;
	return r;
}

void switch_announce(const char *tty, const char *message)
{
	_cleanup_free_ char *line = NULL;
	int fd;

	if (asprintf(&line, "ipe-auditd: %s\n", message) < 0)
		return;
	if (tty) {
		fd = open(tty, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0) {
			(void)write_all(fd, line, strlen(line));
			close(fd);
		}
	}
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		_cleanup_free_ char *k = NULL;

		if (asprintf(&k, "<4>%s", line) >= 0)
			(void)write_all(fd, k, strlen(k));
		close(fd);
	}
}

static void wake(int sig _unused_)
{
}

/* Is the pending switch still ours and pending? Then revert it at @deadline. */
static int watchdog_check(bool due)
{
	_cleanup_(switch_state_done) struct switch_state s = {};
	_cleanup_close_ int lock = switch_lock();
	_cleanup_free_ char *msg = NULL;
	int r;

	if (lock < 0)
		return 0; /* try again later */
	r = switch_read(&s);
	if (r < 0 || s.phase != SWITCH_PENDING || s.watchdog != getpid())
		return 1; /* confirmed, replaced, or gone: nothing to do */
	if (!due)
		return 0;
	r = switch_revert(&s, &msg);
	s.phase = r < 0 ? SWITCH_FAILED : SWITCH_REVERTED;
	free(s.message);
	if (asprintf(&s.message, "no confirmation before the deadline: %s", msg ?: "out of memory") < 0)
		s.message = NULL;
	(void)switch_write(&s);
	switch_announce(s.tty, s.message ?: "no confirmation before the deadline");
	return 1;
}

_noreturn_ static void watchdog_main(int64_t deadline)
{
	struct sigaction sa = { .sa_handler = wake };
	struct timespec ts = { .tv_sec = deadline / NSEC_PER_SEC, .tv_nsec = deadline % NSEC_PER_SEC };
	int fd;

	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGTERM, &sa, NULL); /* no SA_RESTART: the sleep returns EINTR */
	if (chdir("/") < 0)
		_exit(1);
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
	}
	close_range(3, ~0u, 0);
	for (;;) {
		int r = clock_nanosleep(CLOCK_BOOTTIME, TIMER_ABSTIME, &ts, NULL);

		if (r == 0) {
			if (watchdog_check(true))
				_exit(0);
			/* The lock could not be had: try again in a second. */
			ts.tv_sec++;
		} else if (r == EINTR) {
			if (watchdog_check(false))
				_exit(0);
		} else
			_exit(1);
	}
}

int watchdog_start(int64_t deadline, pid_t *ret_pid)
{
	_cleanup_close_ int rd = -1, wr = -1;
	int p[2], status;
	pid_t child, pid = 0;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	rd = p[0];
	wr = p[1];
	child = fork();
	if (child < 0)
		return -errno;
	if (child == 0) {
		pid_t g;

		if (setsid() < 0)
			_exit(1);
		g = fork();
		if (g != 0)
			_exit(g < 0);
		pid = getpid();
		if (write(wr, &pid, sizeof(pid)) != sizeof(pid))
			_exit(1);
		watchdog_main(deadline);
	}
	close(TAKE_FD(wr));
	if (waitpid(child, &status, 0) < 0)
		return -errno;
	if (read(rd, &pid, sizeof(pid)) != sizeof(pid) || pid <= 0)
		return -ECHILD;
	*ret_pid = pid;
	return 0;
}
