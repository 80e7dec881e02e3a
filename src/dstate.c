/*
 * dstate: the daemon's machine (dstate.h). Each handler reads the state,
 * changes it and appends actions; nothing here waits, reads a file or
 * makes a system call.
 */
#include "dstate.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <syslog.h>

static struct dstate_action *dstate_add(struct dstate_out *out, enum dstate_do what)
{
	struct dstate_action *a;

	if (out->n == DSTATE_ACTIONS)   /* never more than a few an event; the last is kept */
		out->n--;
	a = &out->a[out->n++];
	memset(a, 0, sizeof(*a));
	a->what = what;
	return a;
}

static void dstate_log(struct dstate_out *out, int priority, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void dstate_log(struct dstate_out *out, int priority, const char *fmt, ...)
{
	struct dstate_action *a = dstate_add(out, DSTATE_LOG);
	va_list ap;

	a->priority = priority;
	va_start(ap, fmt);
	vsnprintf(a->text, sizeof(a->text), fmt, ap);
	va_end(ap);
}

void dstate_init(struct dstate *s, const struct dstate_world *w)
{
	memset(s, 0, sizeof(*s));
	s->w = w;
	dmenu_init(&s->menu, &w->menu);
}

void dstate_done(struct dstate *s)
{
	free(s->step_ms);
	s->step_ms = NULL;
}

static const char *dstate_name(const struct dstate *s, size_t i)
{
	return i < s->menu.n ? s->menu.names[i] : "?";
}

/* ---- the child ---- */

/*
 * Tell the child to stop. A sentence just ends. A session the person stops
 * gets q, as from a terminal (it says goodbye and is recorded as stopped);
 * one stopped by a signal to the daemon gets SIGTERM (a short "Stopping.",
 * recorded as interrupted, to be resumed).
 */
static void dstate_stop_child(struct dstate *s, int64_t now, struct dstate_out *out)
{
	if (s->child == DSTATE_CHILD_NONE || s->kill_at)
		return;
	if (s->child == DSTATE_CHILD_SESSION && !s->quit) {
		dstate_add(out, DSTATE_KEY)->key = 'q';
		s->kill_at = now + DSTATE_GOODBYE_MS;
		return;
	}
	dstate_add(out, DSTATE_TERM);
	s->kill_at = now + DSTATE_STOP_MS;
}

/* A key to the session, as a terminal would type it. */
static void dstate_key(struct dstate *s, char c, struct dstate_out *out)
{
	if (s->child == DSTATE_CHILD_SESSION && !s->kill_at && c != '\0')
		dstate_add(out, DSTATE_KEY)->key = c;
}

static void dstate_set_paused(struct dstate *s, int paused, int64_t now)
{
	if (paused == s->paused)
		return;
	if (paused) {
		s->left_ms -= now - s->left_ref;
		s->hold_left_ms -= now - s->hold_ref;
	}
	s->left_ref = s->hold_ref = now;
	s->paused = paused;
}

/*
 * Start routine i, or queue it until the child that has the speaker is
 * gone. 0, or -1 if it does not load (refused now, not when its turn comes).
 */
static int dstate_start(struct dstate *s, size_t i, unsigned how, int64_t now,
			struct dstate_out *out)
{
	struct dstate_action *a;
	int64_t total;

	dmenu_sleep(&s->menu);
	if (s->child != DSTATE_CHILD_NONE) {
		if (s->w->length(s->w->menu.ctx, i, &total, NULL, NULL) < 0)
			return -1;
		s->pending = how & DSTATE_RESUME ? DSTATE_PEND_RESUME : DSTATE_PEND_START;
		s->pending_idx = i;
		s->pending_how = how;
		dstate_stop_child(s, now, out);
		return 0;
	}
	s->pending = DSTATE_PEND_NONE;
	s->menu.resume_offer = 0;
	free(s->step_ms);
	s->step_ms = NULL;
	if (s->w->length(s->w->menu.ctx, i, &s->total_ms, &s->step_ms, &s->nsteps) < 0) {
		free(s->step_ms);
		s->step_ms = NULL;
		return -1;
	}
	a = dstate_add(out, DSTATE_PLAY);
	a->idx = i;
	a->how = how;
	s->child = DSTATE_CHILD_SESSION;
	s->sess_idx = i;
	s->sess_how = how;
	s->menu.idx = i;   /* the next menu offers the last one played */
	s->step = s->paused = s->asking = s->in_hold = 0;
	s->side = SIDE_NONE;
	s->step_name[0] = '\0';
	s->left_ms = s->total_ms;
	s->left_ref = now;
	dstate_log(out, LOG_INFO, "starting %s", s->menu.names[i]);
	return 0;
}

/* Say what the menu offers now, when the speaker is free. */
static void dstate_offer(struct dstate *s, int64_t now, struct dstate_out *out)
{
	char what[LIMBER_ERR_LEN];

	if (s->child != DSTATE_CHILD_NONE) {
		s->pending = DSTATE_PEND_SAY;
		dstate_stop_child(s, now, out);
		return;
	}
	s->pending = DSTATE_PEND_NONE;
	dmenu_status(&s->menu, 1, what, sizeof(what));
	dstate_log(out, LOG_INFO, "%s", what + (strncmp(what, "idle, ", 6) ? 0 : 6));
	dstate_add(out, DSTATE_SAY);
	s->child = DSTATE_CHILD_SAY;
}

static void dstate_menu_out(struct dstate *s, const struct dmenu_out *mo, int64_t now,
			    struct dstate_out *out)
{
	if (mo->what == DMENU_SAY)
		dstate_offer(s, now, out);
	else if (mo->what == DMENU_START)
		dstate_start(s, mo->idx, (mo->resume ? DSTATE_RESUME : 0u) |
				     (mo->no_caution ? DSTATE_NO_CAUTION : 0u), now, out);
}

/* ---- events ---- */

/* A button's gesture or a key: to the session as keys, or to the menu. */
static void dstate_input(struct dstate *s, const struct dstate_event *ev, struct dstate_out *out)
{
	struct dmenu_out mo;

	if (s->child == DSTATE_CHILD_SESSION) {
		/* The terminal's keys (keys.h): by action, and the main button's by gesture. */
		static const char keys[ACT_COUNT + 1] = "  nprq+-w", main_keys[] = "  nr";
		const char *key = ev->act == ACT_MAIN ? &main_keys[ev->g] : &keys[ev->act];

		dstate_key(s, *key, out);
		return;
	}
	if (ev->act == ACT_LOUDER || ev->act == ACT_SOFTER) {
		s->volume_db += ev->act == ACT_LOUDER ? 3 : -3;
		s->volume_db = s->volume_db > 6 ? 6 : s->volume_db < -40 ? -40 : s->volume_db;
		if (s->menu.until) {
			s->menu.until = ev->now + DMENU_MS;
			dstate_offer(s, ev->now, out);
		}
		return;
	}
	if (ev->act == ACT_STOP) {
		dmenu_sleep(&s->menu);
		s->pending = DSTATE_PEND_NONE;
		dstate_stop_child(s, ev->now, out);
		return;
	}
	dmenu_act(&s->menu, ev->act, ev->g, ev->now, ev->wall, &mo);
	dstate_menu_out(s, &mo, ev->now, out);
}

static void dstate_line(struct dstate *s, const struct pstatus *st, int64_t now)
{
	if (s->child != DSTATE_CHILD_SESSION)
		return;
	switch (st->kind) {
	case PSTATUS_STEP:
		s->step = st->step;
		if (st->step > s->crash_step)
			s->crashes = 0;   /* it got past the step it crashed in */
		snprintf(s->step_name, sizeof(s->step_name), "%s", st->name);
		if (s->step_ms && st->step >= 1 && st->step <= s->nsteps)
			s->left_ms = s->total_ms - s->step_ms[st->step];
		s->left_ref = now;   /* paused (a seek while paused): frozen there */
		s->in_hold = 0;
		s->side = SIDE_NONE;
		break;
	case PSTATUS_HOLD:
		s->in_hold = 1;
		s->hold_ms = s->hold_left_ms = st->hold_ms;
		s->hold_ref = now;
		break;
	case PSTATUS_HOLD_OVER:
		s->in_hold = 0;
		break;
	case PSTATUS_SIDE:
		s->side = st->side;
		break;
	case PSTATUS_ASKING:
		s->asking = 1;
		break;
	case PSTATUS_PAUSED:
	case PSTATUS_RESUMED:
		dstate_set_paused(s, st->kind == PSTATUS_PAUSED, now);
		break;
	case PSTATUS_OTHER:
		break;
	}
}

/*
 * A player that died of a crash, not of a signal someone sent it to end it
 * (kill, kill -9, the OOM killer): alsa-lib's dmix has been seen to abort
 * (alsa-lib#314). The session had begun (a step was heard) and was not over
 * (asking for the pain rating: it is finished, nothing to resume), and nothing
 * else was asked for meanwhile.
 */
static int dstate_crashed(const struct dstate *s, enum dstate_child kind, int status)
{
	if (kind != DSTATE_CHILD_SESSION || !WIFSIGNALED(status) || s->kill_at || s->quit ||
	    s->reload || s->pending != DSTATE_PEND_NONE || s->step < 1 || s->asking)
		return 0;
	switch (WTERMSIG(status)) {
	case SIGABRT: case SIGSEGV: case SIGBUS: case SIGFPE: case SIGILL: case SIGTRAP:
	case SIGSYS:
		return 1;
	default:
		return 0;
	}
}

/* What comes after the child: what was queued, a crashed session again, or nothing. */
static void dstate_next(struct dstate *s, enum dstate_pending next, size_t idx, unsigned how,
			int64_t now, struct dstate_out *out)
{
	if (next == DSTATE_PEND_SAY) {
		dstate_offer(s, now, out);
	} else if (next == DSTATE_PEND_START || next == DSTATE_PEND_RESUME) {
		if (dstate_start(s, idx, (how & ~(unsigned)DSTATE_RESUME) |
					 (next == DSTATE_PEND_RESUME ? DSTATE_RESUME : 0u), now, out) < 0)
			dstate_log(out, LOG_ERR, "%s does not load; not starting it",
				   dstate_name(s, idx));
	}
}

static void dstate_exit(struct dstate *s, int status, int64_t now, struct dstate_out *out)
{
	enum dstate_child kind = s->child;
	enum dstate_pending next = s->pending;
	size_t idx = s->pending_idx;
	unsigned how = s->pending_how;
	int crashed = dstate_crashed(s, kind, status);

	if (kind == DSTATE_CHILD_SESSION)
		dstate_log(out, LOG_INFO, "session %s ended (%s %d)", dstate_name(s, s->sess_idx),
			   WIFEXITED(status) ? "exit" : "signal",
			   WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	else if (WIFEXITED(status) && WEXITSTATUS(status))
		dstate_log(out, LOG_WARNING, "could not speak the menu (exit %d)",
			   WEXITSTATUS(status));
	s->child = DSTATE_CHILD_NONE;
	s->kill_at = 0;
	s->pending = DSTATE_PEND_NONE;
	s->pending_how = 0;
	if (s->quit)
		return;
	if (crashed && s->crashes < DSTATE_CRASH_RESUMES) {
		/*
		 * The person is lying down, eyes closed: go on from the step
		 * that was cut, as a press on the menu's offer would. A player
		 * that crashes again in that step is resumed once more, then
		 * left to the menu's offer, so a crash at every start cannot loop.
		 */
		s->crashes++;
		s->crash_step = s->step;
		dstate_log(out, LOG_WARNING, "the session's player crashed (signal %d); resuming it "
			   "at the step that was cut (%d of %d in a row)",
			   WTERMSIG(status), s->crashes, DSTATE_CRASH_RESUMES);
		next = DSTATE_PEND_RESUME;
		idx = s->sess_idx;
		how = s->sess_how & DSTATE_TIMER;   /* a timer's session is still one */
	} else {
		if (crashed)
			dstate_log(out, LOG_WARNING, "the session's player crashed again in step %d; "
				   "not resuming it (a press offers it)", s->step);
		if (kind == DSTATE_CHILD_SESSION)
			s->crashes = s->crash_step = 0;
	}
	if (s->reload) {
		/* The list is read again: a queued start keeps its routine by name. */
		s->reload = 0;
		s->after_reload = next;
		snprintf(s->after_name, sizeof(s->after_name), "%s", dstate_name(s, idx));
		s->after_how = how;
		dstate_add(out, DSTATE_RELOAD);
		return;
	}
	dstate_next(s, next, idx, how, now, out);
}

static void dstate_reloaded(struct dstate *s, const struct dstate_event *ev,
			    struct dstate_out *out)
{
	enum dstate_pending next = s->after_reload;
	size_t idx;

	dmenu_routines(&s->menu, ev->names, ev->n, ev->default_idx);
	s->volume_db = ev->volume_db;
	s->after_reload = DSTATE_PEND_NONE;
	if (next == DSTATE_PEND_SAY) {
		/* The menu starts again from the top, with the new list. */
		struct dmenu_out mo;

		dmenu_act(&s->menu, ACT_MAIN, BUTTON_SHORT, ev->now, ev->wall, &mo);
		dstate_menu_out(s, &mo, ev->now, out);
		return;
	}
	if (next == DSTATE_PEND_NONE)
		return;
	if ((idx = dmenu_find(&s->menu, s->after_name)) == s->menu.n) {
		dstate_log(out, LOG_WARNING, "%s is gone after the reload; not starting it",
			   s->after_name);
		return;
	}
	dstate_next(s, next, idx, s->after_how, ev->now, out);
}

static void dstate_tick(struct dstate *s, int64_t now, struct dstate_out *out)
{
	if (s->menu.until && s->child == DSTATE_CHILD_NONE && now >= s->menu.until)
		dmenu_sleep(&s->menu);
	if (s->kill_at && now >= s->kill_at && s->child != DSTATE_CHILD_NONE) {
		dstate_log(out, LOG_WARNING, "the child did not stop; killing it");
		dstate_add(out, DSTATE_KILL);
		s->kill_at = 0;
	}
}

/* ---- control lines ---- */

static void dstate_start_request(struct dstate *s, const struct ctl_request *rq, int64_t now,
				 char *out, size_t len, struct dstate_out *o)
{
	size_t i = rq->name[0] ? dmenu_find(&s->menu, rq->name) : s->menu.idx;

	if (i >= s->menu.n && !rq->name[0])
		snprintf(out, len, "error: there are no routines on the routine path");
	else if (i == s->menu.n)
		snprintf(out, len, "error: no routine named '%s' on the routine path", rq->name);
	else if (rq->verb == CTL_SELECT) {
		dmenu_select(&s->menu, i);
		snprintf(out, len, "ok selected %s", s->menu.names[i]);
	} else if (s->child == DSTATE_CHILD_SESSION && !s->kill_at)
		snprintf(out, len, "error: %s is playing; stop it first",
			 dstate_name(s, s->sess_idx));
	else if (dstate_start(s, i, rq->verb == CTL_TIMER ? DSTATE_TIMER : 0u, now, o) < 0)
		snprintf(out, len, "error: %s does not load (see the journal)", s->menu.names[i]);
	else
		snprintf(out, len, "ok starting %s", s->menu.names[i]);
}

static void dstate_request(struct dstate *s, const struct dstate_event *ev,
			   struct dstate_out *o)
{
	const struct ctl_request *rq = ev->rq;
	char *out = o->reply;
	size_t len = sizeof(o->reply);
	int playing = s->child == DSTATE_CHILD_SESSION && !s->kill_at;
	struct dstate_event in = *ev;

	switch (rq->verb) {
	case CTL_START:
	case CTL_SELECT:
	case CTL_TIMER:
		dstate_start_request(s, rq, ev->now, out, len, o);
		return;
	case CTL_STATUS:
		dstate_status(s, ev->now, out, len);
		return;
	case CTL_PRESS:
	case CTL_HOLD:
		in.kind = DSTATE_INPUT;
		in.act = ACT_MAIN;
		in.g = rq->verb == CTL_PRESS ? BUTTON_SHORT : BUTTON_LONG;
		dstate_input(s, &in, o);
		snprintf(out, len, "ok %s", ctl_verb_name(rq->verb));
		return;
	case CTL_STOP:
		dmenu_sleep(&s->menu);
		if (s->child != DSTATE_CHILD_NONE) {
			s->pending = DSTATE_PEND_NONE;
			dstate_stop_child(s, ev->now, o);
			snprintf(out, len, "ok stopping");
		} else {
			snprintf(out, len, "ok idle");
		}
		return;
	default:
		break;
	}
	if (!playing) {
		snprintf(out, len, "error: nothing is playing");
		return;
	}
	switch (rq->verb) {
	case CTL_TOGGLE:
		dstate_key(s, ' ', o);
		dstate_set_paused(s, !s->paused, ev->now);
		snprintf(out, len, "ok %s", s->paused ? "pause" : "resume");
		return;
	case CTL_PAUSE:
	case CTL_RESUME:
		if (s->paused == (rq->verb == CTL_PAUSE)) {
			snprintf(out, len, "ok %s already", s->paused ? "paused" : "playing");
			return;
		}
		dstate_key(s, ' ', o);
		dstate_set_paused(s, rq->verb == CTL_PAUSE, ev->now);   /* the child confirms it */
		break;
	case CTL_NEXT:
		dstate_key(s, 'n', o);
		break;
	case CTL_PREVIOUS:
		dstate_key(s, 'p', o);
		break;
	case CTL_REPEAT:
		dstate_key(s, 'r', o);
		break;
	default:
		break;
	}
	snprintf(out, len, "ok %s", ctl_verb_name(rq->verb));
}

void dstate_event(struct dstate *s, const struct dstate_event *ev, struct dstate_out *out)
{
	out->n = 0;
	out->reply[0] = '\0';
	switch (ev->kind) {
	case DSTATE_INPUT:
		dstate_input(s, ev, out);
		break;
	case DSTATE_REQUEST:
		dstate_request(s, ev, out);
		break;
	case DSTATE_LINE:
		dstate_line(s, ev->line, ev->now);
		break;
	case DSTATE_EXIT:
		dstate_exit(s, ev->status, ev->now, out);
		break;
	case DSTATE_SPAWN_FAILED:
		s->child = DSTATE_CHILD_NONE;
		s->kill_at = 0;
		break;
	case DSTATE_TICK:
		dstate_tick(s, ev->now, out);
		break;
	case DSTATE_TERMINATE:
		s->quit = 1;
		s->pending = DSTATE_PEND_NONE;
		dstate_stop_child(s, ev->now, out);
		break;
	case DSTATE_HANGUP:
		if (s->child != DSTATE_CHILD_NONE) {
			dstate_log(out, LOG_NOTICE, "%s: reloading when this ends",
				   ev->why ? ev->why : "SIGHUP");
			s->reload = 1;
		} else {
			dstate_add(out, DSTATE_RELOAD);
		}
		break;
	case DSTATE_RELOADED:
		dstate_reloaded(s, ev, out);
		break;
	}
}

/* ---- what it is doing ---- */

int64_t dstate_deadline(const struct dstate *s)
{
	int64_t due = -1;

	if (s->menu.until && s->child == DSTATE_CHILD_NONE)
		due = s->menu.until;
	if (s->kill_at && (due < 0 || s->kill_at < due))
		due = s->kill_at;
	return due;
}

int dstate_running(const struct dstate *s)
{
	return !s->quit || s->child != DSTATE_CHILD_NONE;
}

int64_t dstate_left_s(const struct dstate *s, int64_t now)
{
	int64_t left = s->left_ms - (s->paused ? 0 : now - s->left_ref);

	/*
	 * Before step 1 the clock runs through the opening words, which can be longer
	 * than the estimate (a first session says when to see a doctor first): it
	 * stops at step 1's figure rather than run to 0:00 and jump back.
	 */
	if (!s->step && s->step_ms && s->nsteps >= 1 && left < s->total_ms - s->step_ms[1])
		left = s->total_ms - s->step_ms[1];
	return left < 0 ? 0 : (left + 999) / 1000;
}

int64_t dstate_hold_left_s(const struct dstate *s, int64_t now)
{
	int64_t left = s->hold_left_ms - (s->paused ? 0 : now - s->hold_ref);

	if (!s->in_hold)
		return -1;
	return left < 0 ? 0 : (left + 999) / 1000;
}

/* ", left side" while a side is worked, else nothing. */
static const char *dstate_side_words(enum routine_side side)
{
	return side == SIDE_LEFT ? ", left side" : side == SIDE_RIGHT ? ", right side" : "";
}

void dstate_status(const struct dstate *s, int64_t now, char *out, size_t len)
{
	const char *name = dstate_name(s, s->sess_idx), *word = s->paused ? "paused" : "playing";
	int64_t left;

	if (s->child == DSTATE_CHILD_SESSION && s->kill_at) {
		/* Told to stop: it says goodbye for a few seconds, but it is over. */
		snprintf(out, len, "stopping %s", name);
		return;
	}
	if (s->child != DSTATE_CHILD_SESSION) {
		dmenu_status(&s->menu, s->child == DSTATE_CHILD_SAY, out, len);
		return;
	}
	if (s->asking) {
		snprintf(out, len, "playing %s, asking for a pain rating (a press a point)", name);
		return;
	}
	left = dstate_left_s(s, now);
	if (s->step)
		snprintf(out, len, "%s %s, step %d of %d: %s%s, %d:%02d left", word, name, s->step,
			 s->nsteps, s->step_name, dstate_side_words(s->side), (int)(left / 60),
			 (int)(left % 60));
	else
		snprintf(out, len, "%s %s, starting, %d:%02d left", word, name, (int)(left / 60),
			 (int)(left % 60));
}

void dstate_mqtt(const struct dstate *s, int64_t now, struct mqtt_state *st)
{
	const struct dmenu *m = &s->menu;
	void *ctx = s->w->menu.ctx;

	memset(st, 0, sizeof(*st));
	st->remaining_s = st->hold_s = st->session_left_s = -1;
	st->selected = m->n ? m->names[m->idx] : NULL;
	st->routine = st->selected;
	if (s->child == DSTATE_CHILD_SESSION) {
		st->state = s->kill_at ? "stopping" : s->asking ? "asking" : s->paused ? "paused"
											: "playing";
		st->routine = dstate_name(s, s->sess_idx);
		st->title = s->w->title(ctx, s->sess_idx);
		if (!s->kill_at && !s->asking) {
			st->step = s->step;
			st->steps = s->nsteps;
			st->step_name = s->step ? s->step_name : NULL;
			st->side = s->step && s->side != SIDE_NONE ? routine_side_name(s->side) : NULL;
			st->session_left_s = dstate_left_s(s, now);
			st->remaining_s = dstate_hold_left_s(s, now);
			st->hold_s = s->in_hold ? (s->hold_ms + 999) / 1000 : -1;
		}
	} else if (m->until) {
		st->state = "offering";
		if (m->resume_offer)
			st->routine = m->resumable.routine;
		if (m->n)
			st->title = m->resume_offer ? m->resumable.title : s->w->title(ctx, m->idx);
	} else {
		st->state = "idle";
	}
}
