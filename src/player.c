/*
 * player: the live loop. Events are sent with ids; the callback reports
 * the output frame each one started on, and only then is it written to the
 * timeline, so the timeline is what was heard, pauses included.
 */
#include "player.h"

#include "audio.h"
#include "chimes.h"
#include "keys.h"
#include "log.h"
#include "pcm.h"
#include "playout.h"
#include "pstatus.h"
#include "speech.h"
#include "timeline.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PLAYER_LOOKAHEAD_MS 250   /* events go to the callback this far ahead */
#define PLAYER_SEEK_MS 150        /* a seek starts this far after the cut */
#define PLAYER_TICK_MS 20         /* the loop's pace while playing, at most */
#define PLAYER_PACE_MS 200        /* how often the device's pace is measured */
#define PLAYER_STALL_MS 2000      /* no callback for this long: the device is stuck */
#define PLAYER_RESTART_MS 5000    /* "previous" restarts a step this far in */
#define PLAYER_IDS 4096           /* in-flight events, a power of two */

static volatile sig_atomic_t player_quit;

struct flight {
	int used;
	enum sev_kind kind;
	int step;
	enum routine_side side;
	uint64_t at;
	char *detail;
};

struct player {
	struct engine *e;
	const struct player_opts *o;
	struct playout po;
	struct audio *audio;
	struct audio_device dev;
	struct timeline *tl;
	struct flight fl[PLAYER_IDS];
	uint32_t next_id;
	struct session_event ev;    /* pulled from the session, not yet sent */
	int have_ev, session_done, ended;
	int paused;                 /* paused by the user */
	int cur_step;
	int heard_step;             /* the furthest step heard: the one before it is done */
	uint64_t step_at;           /* session frame the current step began */
	int in_hold;
	enum routine_side side;     /* the side the last status line said */
	int starting;               /* before the stream: feed up to the first sound only */
	int keys_fd;                /* -1 once input has ended */
	float volume;
	struct pcm *key_sound;
};

/* A line for whoever watches (a terminal, the daemon), out at once. */
static void player_line(struct player *p, const struct pstatus *st)
{
	char line[PSTATUS_NAME + 64];

	if (!p->o->status)
		return;
	pstatus_format(st, line, sizeof(line));
	fputs(line, p->o->status);
	fflush(p->o->status);
}

/* A line outside the contract (pstatus.h): for the journal, or a person reading. */
static void player_status(struct player *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void player_status(struct player *p, const char *fmt, ...)
{
	va_list ap;

	if (!p->o->status)
		return;
	va_start(ap, fmt);
	/* The analyzer loses va_start across the early return above. */
	vfprintf(p->o->status, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
	va_end(ap);
	fflush(p->o->status);
}

static uint64_t player_now(struct player *p)
{
	return playout_clock_get(&p->po.session_clock);
}

static uint64_t player_out_now(struct player *p)
{
	return playout_clock_get(&p->po.output_clock);
}

static int player_ui_busy(struct player *p)
{
	return atomic_load_explicit(&p->po.ui_busy, memory_order_acquire);
}

static uint64_t player_frames(const struct player *p, int64_t ms)
{
	return (uint64_t)ms * p->e->rate / 1000;
}

static void player_forget(struct player *p, uint32_t id)
{
	struct flight *f = &p->fl[id & (PLAYER_IDS - 1)];

	free(f->detail);
	memset(f, 0, sizeof(*f));
}

/* Send the pulled event to the callback. 0, or -1 if the ring or table is full (try later). */
static int player_send(struct player *p, const struct session_event *ev)
{
	uint32_t id = ++p->next_id;
	struct flight *f = &p->fl[id & (PLAYER_IDS - 1)];
	struct playout_msg m = { ev->pcm ? PO_SOUND : PO_MARK, id, ev->pcm, ev->at, ev->max_frames,
				 engine_gain(p->e, ev) };

	if (f->used || playout_send(&p->po, &m) < 0) {
		p->next_id--;
		return -1;
	}
	f->used = 1;
	f->kind = ev->kind;
	f->step = ev->step;
	f->side = ev->side;
	f->at = ev->at;
	f->detail = util_xstrdup(ev->detail);
	return 0;
}

static void player_ui(struct player *p, struct pcm *pcm)
{
	struct playout_msg m = { PO_UI, 0, pcm, 0, 0, 1.0f };

	if (!pcm || playout_send(&p->po, &m) < 0)
		pcm_unref(pcm);
}

/* Say text on the UI channel now; returns its length in output frames. */
static uint64_t player_say(struct player *p, const char *text)
{
	char err[LIMBER_ERR_LEN];
	struct speech *sp = p->e->speech;
	int wpm = speech_rate_wpm(sp);
	struct pcm *pcm;
	uint64_t n;
	int rc;

	if (engine_ui_ready(p->e, err) < 0)
		return 0;
	/* At the voice's own rate, where the answers to keys were made. */
	speech_set_rate(sp, speech_base_rate(sp));
	rc = speech_say(sp, text, &pcm, err);
	speech_set_rate(sp, wpm);
	if (rc < 0)
		return 0;
	n = pcm->frames;
	player_ui(p, pcm);
	return n;
}

static void player_msg(struct player *p, enum playout_msg_kind kind, float gain)
{
	struct playout_msg m = { kind, 0, NULL, 0, 0, gain };

	playout_send(&p->po, &m);
}

/* The frame the current hold ends on: pulled and waiting here, or still in the session. */
static uint64_t player_hold_end(const struct player *p)
{
	if (p->have_ev && p->ev.kind == SEV_HOLD_END)
		return p->ev.at;
	return session_hold_end(p->e->session);
}

/* Fill {name}-style variables of a phrase. */
static void player_phrase(struct player *p, enum phrase ph, struct sbuf *b)
{
	const struct routine *r = p->e->routine;
	int step = p->cur_step >= 1 && (size_t)p->cur_step <= r->nsteps ? p->cur_step : 0;
	uint64_t end = player_hold_end(p), now = player_now(p);
	char step_s[16], steps_s[16], hold_s[96] = "";
	const char *vars[] = { "step", step_s, "steps", steps_s, "name",
			       step ? r->steps[step - 1].name : r->name, "hold", hold_s, NULL };

	snprintf(step_s, sizeof(step_s), "%d", step);
	snprintf(steps_s, sizeof(steps_s), "%zu", r->nsteps);
	if (end > now)
		voice_duration(p->e->voice, (int64_t)((end - now) * 1000 / p->e->rate), hold_s,
			       sizeof(hold_s));
	plan_fill(voice_phrase(p->e->voice, ph), vars, b);
}

static void player_where(struct player *p)
{
	struct sbuf b;

	sbuf_init(&b);
	sbuf_add(&b, "");
	player_phrase(p, PH_WHERE, &b);
	if (p->in_hold && player_hold_end(p) > player_now(p)) {
		sbuf_add(&b, " ");
		player_phrase(p, PH_TIME_LEFT, &b);
	}
	player_say(p, b.s);
	sbuf_done(&b);
}

/* Stop what plays and go on from the start of step (closing words past the last). */
static void player_seek(struct player *p, int step)
{
	if (step < 1)
		step = 1;
	player_msg(p, PO_CUT, 0);
	if (p->have_ev && p->ev.pcm)
		pcm_unref(p->ev.pcm);
	p->have_ev = 0;
	p->session_done = 0;
	p->in_hold = 0;
	playout_clock_set(&p->po.fed, player_now(p));
	session_seek(p->e->session, step, player_now(p) + player_frames(p, PLAYER_SEEK_MS));
	/* The step asked for is the current one now, before it is heard: n, n goes two on. */
	p->cur_step = step;
	p->step_at = player_now(p) + player_frames(p, PLAYER_SEEK_MS);
	player_status(p, "limber: going to step %d\n", step);
}

static void player_key(struct player *p, enum key_action a)
{
	const struct routine *r = p->e->routine;

	switch (a) {
	case KEY_PAUSE:
		if (!p->paused) {
			p->paused = 1;
			player_msg(p, PO_PAUSE, 0);
			player_say(p, voice_phrase(p->e->voice, PH_PAUSED));
		} else {
			/*
			 * Resume once "Resuming" has been said, so the two do not overlap.
			 * A fixed phrase, made at start: new text here would change the
			 * length of what the session says next (see speech.h); `w` gives
			 * the time left. The resume goes to the callback now with its
			 * output frame (the phrase starts at the next callback's first),
			 * so it lands on that frame, not on whichever tick of this loop
			 * comes after it.
			 */
			uint64_t at = player_out_now(p) +
				      player_say(p, voice_phrase(p->e->voice, PH_RESUMING)) +
				      player_frames(p, 200);
			struct playout_msg m = { PO_RESUME, 0, NULL, at, 0, 0 };

			playout_send(&p->po, &m);
			p->paused = 0;
		}
		break;
	case KEY_NEXT:
		player_ui(p, pcm_ref(p->key_sound));
		player_seek(p, p->cur_step + 1 > (int)r->nsteps + 1 ? (int)r->nsteps + 1
								  : p->cur_step + 1);
		break;
	case KEY_PREVIOUS:
		player_ui(p, pcm_ref(p->key_sound));
		/* step_at is ahead of now just after a seek: unsigned now - step_at would wrap. */
		if (p->cur_step >= 1 && player_now(p) > p->step_at + player_frames(p, PLAYER_RESTART_MS))
			player_seek(p, p->cur_step);
		else
			player_seek(p, p->cur_step - 1);
		break;
	case KEY_REPEAT:
		if (p->cur_step >= 1 && (size_t)p->cur_step <= r->nsteps) {
			const struct seg *s = &p->e->plan.segs[plan_step_start(&p->e->plan, p->cur_step)];

			player_say(p, s->text);
		}
		break;
	case KEY_WHERE:
		player_where(p);
		break;
	case KEY_EXTEND:
		/*
		 * The hold's end is usually pulled from the session already, waiting
		 * here for the lookahead (the session then has no hold end to move):
		 * it moves here, and the rest in the session. Once sent, it is too late.
		 */
		if (p->in_hold && p->have_ev && p->ev.kind == SEV_HOLD_END) {
			p->ev.at += player_frames(p, 10000);
			session_delay(p->e->session, player_frames(p, 10000));
			player_say(p, voice_phrase(p->e->voice, PH_EXTENDED));
		} else if (p->in_hold && session_extend(p->e->session, player_frames(p, 10000)) == 0) {
			player_say(p, voice_phrase(p->e->voice, PH_EXTENDED));
		} else {
			player_ui(p, pcm_ref(p->key_sound));
		}
		break;
	case KEY_LOUDER:
	case KEY_SOFTER:
		p->volume *= a == KEY_LOUDER ? 1.4125f : 1 / 1.4125f;   /* 3 dB */
		if (p->volume > 2.0f)
			p->volume = 2.0f;
		if (p->volume < 0.06f)
			p->volume = 0.06f;
		player_msg(p, PO_VOLUME, p->volume);
		player_ui(p, pcm_ref(p->key_sound));
		break;
	case KEY_HELP:
		player_say(p, voice_phrase(p->e->voice, PH_KEYS));
		break;
	case KEY_SAFETY:
		player_say(p, voice_phrase(p->e->voice, PH_SAFETY));
		break;
	case KEY_QUIT:
		player_quit = 1;
		break;
	case KEY_NONE:
	default:   /* digits mean something only when a rating is asked for */
		break;
	}
}

/* Hand events to the callback until the lookahead is full. */
static int player_feed(struct player *p, char *err)
{
	uint64_t horizon = player_now(p) + player_frames(p, PLAYER_LOOKAHEAD_MS);

	while (!p->session_done) {
		if (!p->have_ev) {
			int r = session_next(p->e->session, &p->ev, err);

			if (r < 0)
				return -1;
			if (r == 0) {
				p->session_done = 1;
				break;
			}
			p->have_ev = 1;
		}
		if (p->ev.at >= horizon || player_send(p, &p->ev) < 0)
			break;
		p->have_ev = 0;
		if (p->starting && p->ev.pcm) {
			p->starting = 0;
			playout_clock_set(&p->po.fed, p->ev.at);
			return 0;
		}
	}
	playout_clock_set(&p->po.fed, p->session_done ? UINT64_MAX : p->have_ev ? p->ev.at : horizon);
	return 0;
}

static void player_reports(struct player *p)
{
	struct playout_report r;

	while (playout_report(&p->po, &r) == 0) {
		struct flight *f = &p->fl[r.id & (PLAYER_IDS - 1)];

		switch (r.kind) {
		case PO_DONE:
			pcm_unref(r.pcm);
			break;
		case PO_DROPPED:
			if (r.id)
				player_forget(p, r.id);
			break;
		case PO_PAUSED:
			timeline_row(p->tl, r.frame, "pause", p->cur_step, SIDE_NONE, "");
			player_line(p, &(struct pstatus){ .kind = PSTATUS_PAUSED });
			break;
		case PO_RESUMED:
			timeline_row(p->tl, r.frame, "resume", p->cur_step, SIDE_NONE, "");
			player_line(p, &(struct pstatus){ .kind = PSTATUS_RESUMED });
			break;
		case PO_STARTED:
			if (!r.id || !f->used)
				break;
			/* Continuing: what came before the resume point is in the timeline already. */
			if (!(p->o->resume && f->at < p->o->resume_session))
				timeline_row(p->tl, r.frame, session_kind_name(f->kind), f->step, f->side,
				     f->detail);
			if (f->kind == SEV_STEP) {
				const struct player_events *ev = p->o->events;

				if (f->step > p->heard_step) {
					if (ev && ev->step_done && p->heard_step >= 1)
						ev->step_done(ev->ctx, p->heard_step);
					p->heard_step = f->step;
				}
				p->cur_step = f->step;
				p->step_at = f->at;
				struct pstatus st = { .kind = PSTATUS_STEP, .step = f->step,
						      .steps = (int)p->e->routine->nsteps };

				snprintf(st.name, sizeof(st.name), "%s", f->detail);
				player_line(p, &st);
				p->side = SIDE_NONE;   /* a step line clears the side */
			} else if (f->kind == SEV_HOLD_START) {
				p->in_hold = 1;
				player_line(p, &(struct pstatus){
						       .kind = PSTATUS_HOLD,
						       .hold_ms = p->e->routine->steps[f->step - 1].hold_ms });
			} else if (f->kind == SEV_HOLD_END) {
				p->in_hold = 0;
				player_line(p, &(struct pstatus){ .kind = PSTATUS_HOLD_OVER });
			} else if (f->kind == SEV_END) {
				const struct player_events *ev = p->o->events;

				if (ev && ev->step_done && p->heard_step >= 1)
					ev->step_done(ev->ctx, p->heard_step);
				p->ended = 1;
			}
			if (f->kind != SEV_END && f->side != p->side) {
				p->side = f->side;
				if (f->side != SIDE_NONE)
					player_line(p, &(struct pstatus){ .kind = PSTATUS_SIDE,
									  .side = f->side });
			}
			player_forget(p, r.id);
			break;
		}
	}
}

/*
 * The device is gone or stuck: start again as a new process that continues
 * from this frame (see player.h for why). Returns only if exec fails.
 */
static int player_reexec(struct player *p, char *err)
{
	uint64_t session = player_now(p), output = player_out_now(p);
	char **argv = p->o->argv, **av, pos[96];
	size_t n = 0, k = 0;

	if (!argv)
		return util_err(err, "the audio device stopped");
	while (argv[n])
		n++;
	av = util_xcalloc(n + 3, sizeof(*av));
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(argv[i], "--continue") && i + 1 < n) {
			i++;
			continue;
		}
		av[k++] = argv[i];
	}
	snprintf(pos, sizeof(pos), "%llu:%llu:%u:%llu", (unsigned long long)session,
		 (unsigned long long)output, atomic_load(&p->po.skips),
		 (unsigned long long)playout_clock_get(&p->po.skipped));
	av[k++] = "--continue";
	av[k++] = pos;
	player_reports(p);
	timeline_close(p->tl, NULL);
	p->tl = NULL;
	log_warn("the audio device stopped; waiting for it to come back");
	fflush(stdout);
	fflush(stderr);
	if (p->o->before_exec)
		p->o->before_exec();
	execv("/proc/self/exe", av);
	free(av);
	return util_err(err, "the audio device stopped, and limber could not restart itself: %s",
			strerror(errno));
}

/* Open the device; when continuing after a loss, wait for it with back-off. */
static int player_find_device(struct player *p, char *err)
{
	int wait = 250;

	for (;;) {
		int rc = -1;

		if (audio_init(err) == 0) {
			if ((rc = audio_find(p->o->device, &p->dev, err)) == 0)
				return 0;
			audio_terminate();
		}
		if (!p->o->resume || player_quit)
			return rc == AUDIO_NONE ? PLAYER_NO_DEVICE : -1;
		{
			struct timespec ts = { wait / 1000, (long)(wait % 1000) * 1000000L };

			nanosleep(&ts, NULL);
		}
		wait = wait * 2 > 4000 ? 4000 : wait * 2;
	}
}

/* Continuing: run the session silently up to the frame where it stopped. */
static int player_fast_forward(struct player *p, char *err)
{
	uint64_t to = p->o->resume_session;
	int r;

	while ((r = session_next(p->e->session, &p->ev, err)) > 0) {
		uint64_t len = p->ev.max_frames ? p->ev.max_frames : p->ev.frames;

		if (p->ev.at >= to || (p->ev.pcm && p->ev.at + len > to)) {
			p->have_ev = 1;
			return 0;
		}
		if (p->ev.kind == SEV_STEP) {
			p->cur_step = p->ev.step;
			p->heard_step = p->ev.step;   /* the process before this one recorded it */
			p->step_at = p->ev.at;
		}
		if (p->ev.kind == SEV_HOLD_START || p->ev.kind == SEV_HOLD_END)
			p->in_hold = p->ev.kind == SEV_HOLD_START;
		if (p->ev.pcm)
			pcm_unref(p->ev.pcm);
	}
	if (r == 0)
		p->session_done = 1;
	return r;
}

/*
 * The optional pain rating, after a finished session. From a keyboard, a
 * digit (1 then 0 for ten); from one button (the daemon sends its short
 * press as space and its long press as n), a press for each point, or a
 * long press for none. Any other key, or silence, skips it.
 */
static void player_ask_pain(struct player *p)
{
	const struct player_events *ev = p->o->events;
	int64_t deadline;
	int rating = -1, one = 0, presses = 0;
	struct keys kp;

	keys_init(&kp);
	player_line(p, &(struct pstatus){ .kind = PSTATUS_ASKING });
	deadline = util_now_ms() + 8000 +
		   (int64_t)(player_say(p, voice_phrase(p->e->voice, PH_PAIN_ASK)) * 1000 / p->e->rate);
	while (!player_quit && util_now_ms() < deadline && rating < 0) {
		struct pollfd pfd = { p->keys_fd, POLLIN, 0 };
		unsigned char buf[16];
		enum key_action acts[16];
		ssize_t got;
		size_t n;

		player_reports(p);
		if (poll(&pfd, 1, 50) <= 0)
			continue;
		got = read(p->keys_fd, buf, sizeof(buf));
		if (got <= 0)
			break;
		n = keys_feed(&kp, buf, (size_t)got, acts, 16);
		for (size_t i = 0; i < n && rating < 0; i++) {
			int d = acts[i] >= KEY_DIGIT0 && acts[i] <= KEY_DIGIT9 ? (int)(acts[i] - KEY_DIGIT0)
									    : -1;

			if (acts[i] == KEY_PAUSE && presses < 10) {
				presses++;   /* one point; more may follow */
				player_ui(p, pcm_ref(p->key_sound));
				deadline = util_now_ms() + 2500;
			} else if (acts[i] == KEY_NEXT && !presses) {
				rating = 0;
			} else if (d < 0) {
				deadline = 0;   /* another key: skip */
			} else if (one) {
				rating = d == 0 ? 10 : 1;
			} else if (d == 1) {
				one = 1;            /* 1, or the start of 10 */
				deadline = util_now_ms() + 1500;
			} else {
				rating = d;
			}
		}
	}
	if (rating < 0 && presses)
		rating = presses;
	if (rating < 0 && one)
		rating = 1;
	if (rating < 0)
		return;
	if (ev && ev->pain)
		ev->pain(ev->ctx, rating);
	{
		char n_s[16];
		const char *vars[] = { "n", n_s, NULL };
		struct sbuf b;

		snprintf(n_s, sizeof(n_s), "%d", rating);
		sbuf_init(&b);
		sbuf_add(&b, "");
		plan_fill(voice_phrase(p->e->voice, PH_PAIN_NOTED), vars, &b);
		player_say(p, b.s);
		sbuf_done(&b);
	}
	deadline = util_now_ms() + 5000;
	while (player_ui_busy(p) && util_now_ms() < deadline) {
		poll(NULL, 0, 20);
		player_reports(p);
	}
}

static void player_on_signal(int sig)
{
	(void)sig;
	player_quit = 2;   /* a signal: stop in a second, not a sentence */
}

/*
 * How long the loop may sleep: PLAYER_TICK_MS, or less when the device
 * plays faster than real time (a simulated one), so that the loop still
 * wakes several times per lookahead of device frames and the callback is
 * never left without its next events.
 */
static int player_tick(struct player *p, int64_t *pace_ms, uint64_t *pace_out, int *tick)
{
	int64_t now = util_now_ms();
	uint64_t out = player_out_now(p);

	if (now - *pace_ms >= PLAYER_PACE_MS) {
		double per_ms = (double)(out - *pace_out) / (double)(now - *pace_ms);
		double budget = (double)player_frames(p, PLAYER_LOOKAHEAD_MS) / 5;

		*tick = per_ms * PLAYER_TICK_MS > budget ? (int)(budget / per_ms) : PLAYER_TICK_MS;
		if (*tick < 1)
			*tick = 1;
		*pace_ms = now;
		*pace_out = out;
	}
	return *tick;
}

static int player_loop(struct player *p, char *err)
{
	int64_t pace_ms = util_now_ms();
	uint64_t pace_out = player_out_now(p);
	int tick = PLAYER_TICK_MS;
	struct keys kp;
	uint32_t last_cb = atomic_load(&p->po.callbacks);
	struct timespec last_progress;
	unsigned char buf[64];

	keys_init(&kp);
	clock_gettime(CLOCK_MONOTONIC, &last_progress);
	while (!player_quit) {
		struct pollfd pfd = { p->keys_fd, POLLIN, 0 };
		struct timespec now;
		uint32_t cb;
		int n;

		if (player_feed(p, err) < 0)
			return -1;
		player_reports(p);
		if (p->ended && !player_ui_busy(p))
			break;

		/* Watchdog: the callback must keep coming, and the stream stay up. */
		clock_gettime(CLOCK_MONOTONIC, &now);
		cb = atomic_load(&p->po.callbacks);
		if (cb != last_cb) {
			last_cb = cb;
			last_progress = now;
		}
		if (!audio_alive(p->audio) ||
		    (now.tv_sec - last_progress.tv_sec) * 1000 +
				    (now.tv_nsec - last_progress.tv_nsec) / 1000000 >
			    PLAYER_STALL_MS)
			return player_reexec(p, err);

		n = poll(&pfd, p->keys_fd >= 0 ? 1 : 0, player_tick(p, &pace_ms, &pace_out, &tick));
		if (n > 0 && (pfd.revents & (POLLIN | POLLHUP))) {
			ssize_t got = read(p->keys_fd, buf, sizeof(buf));
			enum key_action acts[64];

			if (got <= 0) {
				p->keys_fd = -1; /* input ended: play on without keys */
				continue;
			}
			n = (int)keys_feed(&kp, buf, (size_t)got, acts, 64);
			if (n > 0 && p->o->events && p->o->events->answered)
				p->o->events->answered(p->o->events->ctx);
			/* A key acts on what has been heard up to now (in a hold or not, which step). */
			player_reports(p);
			for (int i = 0; i < n; i++)
				player_key(p, acts[i]);
		} else if (n < 0 && errno != EINTR) {
			return util_err(err, "poll: %s", strerror(errno));
		}
	}
	return 0;
}

int player_run(struct engine *e, const struct player_opts *o, char *err)
{
	struct sigaction sa, old_int, old_term, old_hup;
	struct player *p = util_xcalloc(1, sizeof(*p));
	int rc = -1;

	player_quit = 0;
	/*
	 * From the start: the daemon stops a session whenever it is told to, and
	 * a SIGTERM that came while the engine or the device was still starting
	 * used to kill the player outright (no "Stop now", no end recorded).
	 */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = player_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	p->e = e;
	p->o = o;
	p->volume = powf(10.0f, (float)o->volume_db / 20.0f);
	p->keys_fd = o->keys_fd;
	if ((rc = player_find_device(p, err)) < 0) {
		free(p);
		goto out_sig;
	}
	rc = -1;
	if (engine_start(e, (unsigned)lround(p->dev.rate), err) < 0)
		goto out_pa;
	if (chimes_get(e->chimes, "key.wav", &p->key_sound, err) < 0)
		goto out_pa;
	if (o->timeline && (o->resume ? timeline_append(o->timeline, e->rate, &p->tl, err)
				      : timeline_open(o->timeline, e->rate, &p->tl, err)) < 0)
		goto out_pa;
	if (o->start_step > 1 && (size_t)o->start_step <= e->routine->nsteps) {
		session_seek(e->session, o->start_step, 0);
		p->cur_step = o->start_step;
	}
	playout_init(&p->po, e->rate);
	if (o->volume_db)
		player_msg(p, PO_VOLUME, p->volume);
	if (o->resume) {
		if (player_fast_forward(p, err) < 0)
			goto out_po;
		playout_set_clocks(&p->po, o->resume_session, o->resume_output);
		atomic_store(&p->po.skips, o->resume_skips);
		playout_clock_set(&p->po.skipped, o->resume_skipped);
	}
	/*
	 * The first events go in before the stream starts, so none is late; only
	 * up to the first sound, so the start waits for the first words alone.
	 */
	p->starting = 1;
	if (player_feed(p, err) < 0)
		goto out_po;
	if (audio_open(&p->dev, e->rate, o->latency, &p->po, &p->audio, err) < 0)
		goto out_po;
	if (o->resume)
		log_notice("audio is back on %s; going on", p->dev.name);
	player_status(p, "limber: playing %s on %s (%s), %u Hz, %.0f ms output latency\n",
		      e->routine->name, p->dev.name, p->dev.host, e->rate,
		      audio_latency(p->audio) * 1000);
	if (o->events && o->events->begun)
		o->events->begun(o->events->ctx);

	rc = player_loop(p, err);
	if (rc == 0 && player_quit && !p->ended && p->audio && !o->quiet) {
		/* Stopped early: fade the session out and say so. */
		struct timespec ts = { 0, 20 * 1000000L };

		player_msg(p, PO_PAUSE, 0);
		player_say(p, voice_phrase(e->voice, player_quit == 2 ? PH_STOP_NOW : PH_STOPPING));
		nanosleep(&ts, NULL);
		for (int i = 0; i < 500 && player_ui_busy(p); i++)
			nanosleep(&ts, NULL);
	}
	if (rc == 0 && p->ended && !player_quit && o->ask_pain && p->keys_fd >= 0 && p->audio)
		player_ask_pain(p);
	if (rc == 0 && o->events && o->events->ended)
		o->events->ended(o->events->ctx, p->ended	       ? PLAYER_FINISHED
						 : player_quit == 2 ? PLAYER_INTERRUPTED
								    : PLAYER_STOPPED);
	audio_close(p->audio);
	p->audio = NULL;
	player_reports(p);
	if (atomic_load(&p->po.skips))
		player_status(p, "limber: the device's clock ran ahead %u times (xruns); %.1f ms "
				   "(%llu frames) skipped to stay on it\n",
			atomic_load(&p->po.skips),
			(double)playout_clock_get(&p->po.skipped) * 1000 / e->rate,
			(unsigned long long)playout_clock_get(&p->po.skipped));
out_po:
	playout_done(&p->po);
out_pa:
	if (p->have_ev && p->ev.pcm)
		pcm_unref(p->ev.pcm);
	for (size_t i = 0; i < PLAYER_IDS; i++)
		free(p->fl[i].detail);
	if (timeline_close(p->tl, rc < 0 ? NULL : err) < 0)
		rc = -1;
	pcm_unref(p->key_sound);
	audio_terminate();
	free(p);
out_sig:
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	return rc;
}
