/*
 * playout: the audio callback's side of live playback. See playout.h for
 * the rules it keeps; every function below but the first three and the
 * last runs on the audio thread.
 */
#include "playout.h"

#include "pcm.h"

#include <string.h>

#define PLAYOUT_IN 1024
#define PLAYOUT_OUT 4096

static void po_clock_init(struct playout_clock *c)
{
	atomic_init(&c->seq, 0);
	atomic_init(&c->lo, 0);
	atomic_init(&c->hi, 0);
}

void playout_init(struct playout *po, unsigned rate)
{
	memset(po, 0, sizeof(*po));
	po->rate = rate;
	ring_init(&po->in, PLAYOUT_IN, sizeof(struct playout_msg));
	ring_init(&po->out, PLAYOUT_OUT, sizeof(struct playout_report));
	mixer_init(&po->session);
	mixer_init(&po->ui);
	po->level = po->target = po->volume = 1.0f;
	po->step = 1.0f / ((float)rate * PLAYOUT_FADE_MS / 1000.0f);
	po_clock_init(&po->session_clock);
	po_clock_init(&po->output_clock);
	atomic_init(&po->callbacks, 0);
	atomic_init(&po->lost, 0);
	atomic_init(&po->late, 0);
	atomic_init(&po->paused, 0);
	atomic_init(&po->ui_busy, 0);
	atomic_init(&po->skips, 0);
	po_clock_init(&po->skipped);
	po_clock_init(&po->fed);
	po->device_base = -1;
}

/*
 * The seqlock of Boehm, "Can seqlocks get along with programming language
 * memory models?" (2012): the odd count is stored before the release fence,
 * the halves after it; a reader that saw any half of a newer write therefore
 * sees the count moved on, and retries. The final release store pairs with
 * the reader's acquire load, as the plain 64-bit store and load did.
 */
void playout_clock_set(struct playout_clock *c, uint64_t v)
{
	uint32_t s = atomic_load_explicit(&c->seq, memory_order_relaxed);

	atomic_store_explicit(&c->seq, s + 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
	atomic_store_explicit(&c->lo, (uint32_t)v, memory_order_relaxed);
	atomic_store_explicit(&c->hi, (uint32_t)(v >> 32), memory_order_relaxed);
	atomic_store_explicit(&c->seq, s + 2, memory_order_release);
}

uint64_t playout_clock_get(struct playout_clock *c)
{
	uint32_t s1, s2, lo, hi;

	do {
		s1 = atomic_load_explicit(&c->seq, memory_order_acquire);
		lo = atomic_load_explicit(&c->lo, memory_order_relaxed);
		hi = atomic_load_explicit(&c->hi, memory_order_relaxed);
		atomic_thread_fence(memory_order_acquire);
		s2 = atomic_load_explicit(&c->seq, memory_order_relaxed);
	} while ((s1 & 1) || s1 != s2);
	return (uint64_t)hi << 32 | lo;
}

void playout_set_clocks(struct playout *po, uint64_t session, uint64_t output)
{
	po->t = session;
	po->out_t = output;
	playout_clock_set(&po->session_clock, session);
	playout_clock_set(&po->output_clock, output);
}

int playout_send(struct playout *po, const struct playout_msg *m)
{
	return ring_push(&po->in, m);
}

int playout_report(struct playout *po, struct playout_report *r)
{
	return ring_pop(&po->out, r);
}

static void po_report(struct playout *po, enum playout_report_kind kind, uint32_t id,
		      uint64_t frame)
{
	struct playout_report r = { kind, id, frame, NULL };

	if (ring_push(&po->out, &r) < 0)
		atomic_fetch_add_explicit(&po->lost, 1, memory_order_relaxed);
}

/* Hand finished sounds back, as many as the ring has room for; the rest wait. */
static void po_reap(struct playout *po, struct mixer *m)
{
	struct pcm *p;

	while (m->ndone && ring_space(&po->out) > 0 && mixer_reap(m, &p, 1) == 1) {
		struct playout_report r = { PO_DONE, 0, 0, p };

		ring_push(&po->out, &r);
	}
}

static void po_resume(struct playout *po)
{
	po->resume_at = 0;
	if (po->target != 1.0f) {
		po->target = 1.0f;
		atomic_store_explicit(&po->paused, 0, memory_order_relaxed);
		po_report(po, PO_RESUMED, 0, po->out_t);
	}
}

static void po_message(struct playout *po, const struct playout_msg *m)
{
	uint32_t dropped[MIXER_VOICES];
	size_t n;

	switch (m->kind) {
	case PO_SOUND:
	case PO_UI: {
		struct mixer *mx = m->kind == PO_SOUND ? &po->session : &po->ui;
		uint64_t at = m->kind == PO_SOUND ? m->at : po->out_t;

		if (mixer_add(mx, m->pcm, at, m->max, m->gain) < 0) {
			struct playout_report r = { PO_DONE, 0, 0, m->pcm };

			if (ring_push(&po->out, &r) < 0)
				atomic_fetch_add_explicit(&po->lost, 1, memory_order_relaxed);
			po_report(po, PO_DROPPED, m->id, 0);
			break;
		}
		mixer_last(mx)->id = m->id;
		if (m->kind == PO_SOUND && m->at < po->t)
			atomic_fetch_add_explicit(&po->late, 1, memory_order_relaxed);
		break;
	}
	case PO_MARK:
		if (po->nmarks == PLAYOUT_MARKS) {
			po_report(po, PO_DROPPED, m->id, 0);
			break;
		}
		po->marks[po->nmarks].id = m->id;
		po->marks[po->nmarks++].at = m->at;
		break;
	case PO_CUT:
		n = mixer_cut(&po->session, po->t, (uint64_t)(1.0f / po->step), dropped);
		for (size_t i = 0; i < n; i++)
			po_report(po, PO_DROPPED, dropped[i], 0);
		for (size_t i = 0; i < po->nmarks;) {
			if (po->marks[i].at >= po->t) {
				po_report(po, PO_DROPPED, po->marks[i].id, 0);
				po->marks[i] = po->marks[--po->nmarks];
			} else {
				i++;
			}
		}
		break;
	case PO_PAUSE:
		po->resume_at = 0;
		if (po->target != 0.0f) {
			po->target = 0.0f;
			po_report(po, PO_PAUSED, 0, po->out_t);
		}
		break;
	case PO_RESUME:
		if (m->at > po->out_t)
			po->resume_at = m->at;   /* po_resume() on that frame */
		else
			po_resume(po);
		break;
	case PO_VOLUME:
		po->volume = m->gain;
		break;
	}
}

/*
 * Report what starts in the session's next k frames, at its output frame:
 * marks first, so equal-time rows keep the session's order (step, then speech).
 */
static void po_starts(struct playout *po, uint64_t k)
{
	uint64_t end = po->t + k;

	for (size_t i = 0; i < po->nmarks;) {
		struct playout_mark *mk = &po->marks[i];

		if (mk->at < end) {
			po_report(po, PO_STARTED, mk->id,
				  po->out_t + (mk->at > po->t ? mk->at - po->t : 0));
			*mk = po->marks[--po->nmarks];
		} else {
			i++;
		}
	}
	for (size_t i = 0; i < po->session.n; i++) {
		struct mixer_voice *v = &po->session.v[i];

		if (!v->started && v->at < end) {
			v->started = 1;
			po_report(po, PO_STARTED, v->id, po->out_t + (v->at > po->t ? v->at - po->t : 0));
		}
	}
}

static void po_block(struct playout *po, float *out, size_t n, int channels)
{
	size_t k = n;

	/* While fading out, the session runs only until the fade reaches silence. */
	if (po->target == 0.0f) {
		size_t left = po->level > 0.0f ? (size_t)(po->level / po->step) + 1 : 0;

		k = left < n ? left : n;
	}
	if (k) {
		po_starts(po, k);
		mixer_render(&po->session, po->buf, k, po->t);
		if (po->level != po->target) {
			for (size_t i = 0; i < k; i++) {
				if (po->level < po->target)
					po->level = po->level + po->step < 1.0f ? po->level + po->step : 1.0f;
				else if (po->level > po->target)
					po->level = po->level - po->step > 0.0f ? po->level - po->step : 0.0f;
				po->buf[i] *= po->level;
			}
		}
		po->t += k;
	}
	memset(po->buf + k, 0, (n - k) * sizeof(float));
	if (po->target == 0.0f && po->level <= 0.0f)
		atomic_store_explicit(&po->paused, 1, memory_order_relaxed);
	mixer_render(&po->ui, po->ui_buf, n, po->out_t);
	for (size_t i = 0; i < n; i++) {
		float s = (po->buf[i] + po->ui_buf[i]) * po->volume;

		for (int c = 0; c < channels; c++)
			out[i * (size_t)channels + (size_t)c] = s;
	}
	po->out_t += n;
}

/* Keep the output clock on the device's: skip ahead over time the device lost. */
static void po_follow_device(struct playout *po, size_t frames, double device_time)
{
	double ahead;
	uint64_t gap;

	if (device_time < 0)
		return;
	if (po->device_base < 0) {
		po->device_base = device_time - (double)po->out_t / po->rate;
		return;
	}
	ahead = (device_time - po->device_base) * po->rate - (double)po->out_t;
	if (ahead < -(double)frames || ahead > (double)po->rate * 10) {
		/*
		 * The device's clock went back (a restart), or leapt (PortAudio's JACK
		 * time is a 32-bit frame difference and wraps): take it as it is now.
		 */
		po->device_base = device_time - (double)po->out_t / po->rate;
		return;
	}
	if (ahead < (double)frames / 2 + 32)
		return;  /* jitter, not a lost buffer */
	/*
	 * A device loses whole buffers. The time it reports jitters by up to a
	 * buffer (PortAudio's JACK backend reads jack_frame_time, an estimate, at
	 * the callback's start), and the first report, our base, jitters too; so
	 * the gap is the nearest whole number of buffers, not the raw difference,
	 * which was seen 387 frames short of two 1024-frame periods.
	 */
	gap = (uint64_t)(ahead / (double)frames + 0.5) * frames;
	po->out_t += gap;
	if (po->target != 0.0f || po->level > 0.0f)
		po->t += gap;
	atomic_fetch_add_explicit(&po->skips, 1, memory_order_relaxed);
	playout_clock_set(&po->skipped, playout_clock_get(&po->skipped) + gap);
}

void playout_process(struct playout *po, float *out, size_t frames, int channels,
		     double device_time)
{
	struct playout_msg m;

	atomic_fetch_add_explicit(&po->callbacks, 1, memory_order_relaxed);
	po_follow_device(po, frames, device_time);
	while (ring_pop(&po->in, &m) == 0)
		po_message(po, &m);
	while (frames) {
		size_t n = frames < PLAYOUT_BLOCK ? frames : PLAYOUT_BLOCK;

		/* A resume lands on its own frame: the block ends there. */
		if (po->resume_at && po->resume_at <= po->out_t)
			po_resume(po);
		if (po->resume_at && po->resume_at - po->out_t < n)
			n = (size_t)(po->resume_at - po->out_t);

		po_block(po, out, n, channels);
		out += n * (size_t)channels;
		frames -= n;
	}
	po_reap(po, &po->session);
	po_reap(po, &po->ui);
	playout_clock_set(&po->session_clock, po->t);
	playout_clock_set(&po->output_clock, po->out_t);
	atomic_store_explicit(&po->ui_busy, po->ui.n > 0, memory_order_release);
}

void playout_done(struct playout *po)
{
	struct playout_msg m;
	struct playout_report r;
	struct pcm *p;

	while (ring_pop(&po->in, &m) == 0)
		pcm_unref(m.pcm);
	mixer_stop_all(&po->session);
	mixer_stop_all(&po->ui);
	while (mixer_reap(&po->session, &p, 1) == 1)
		pcm_unref(p);
	while (mixer_reap(&po->ui, &p, 1) == 1)
		pcm_unref(p);
	while (ring_pop(&po->out, &r) == 0)
		if (r.kind == PO_DONE)
			pcm_unref(r.pcm);
	ring_done(&po->in);
	ring_done(&po->out);
}
