/*
 * render: pull events from the session a block ahead, hand their sounds
 * to the mixer, write the mix. The same mixer and session feed the live
 * player; only the sink and the pace differ.
 */
#include "render.h"

#include "mixer.h"
#include "pcm.h"
#include "timeline.h"
#include "util.h"
#include "wavsink.h"

#include <string.h>

#define RENDER_BLOCK 4096

static void render_reap(struct mixer *m)
{
	struct pcm *done[MIXER_VOICES];
	size_t n = mixer_reap(m, done, MIXER_VOICES);

	for (size_t i = 0; i < n; i++)
		pcm_unref(done[i]);
}

int render_run(struct engine *e, const char *wav_path, const char *timeline_path,
	       struct render_stats *st, char *err)
{
	static struct mixer m;
	float buf[RENDER_BLOCK];
	struct wavsink *w = NULL;
	struct timeline *tl = NULL;
	struct session_event ev;
	uint64_t t = 0, end_at = 0;
	int have = 0, done = 0, rc = -1;

	memset(st, 0, sizeof(*st));
	mixer_init(&m);
	if (wavsink_open(wav_path, e->rate, &w, err) < 0)
		return -1;
	if (timeline_path && timeline_open(timeline_path, e->rate, &tl, err) < 0)
		goto out;
	for (;;) {
		while (!done) {
			if (!have) {
				int r = session_next(e->session, &ev, err);

				if (r < 0)
					goto out;
				if (r == 0) {
					done = 1;
					break;
				}
				have = 1;
			}
			if (ev.at >= t + RENDER_BLOCK)
				break;
			have = 0;
			st->events++;
			timeline_write(tl, &ev);
			if (ev.kind == SEV_END)
				end_at = ev.at;
			if (!ev.pcm)
				continue;
			st->sounds++;
			if (mixer_add(&m, ev.pcm, ev.at, ev.max_frames, engine_gain(e, &ev)) < 0) {
				pcm_unref(ev.pcm);
				st->dropped++;
			}
		}
		if (done && mixer_idle(&m) && t >= end_at)
			break;
		mixer_render(&m, buf, RENDER_BLOCK, t);
		render_reap(&m);
		if (wavsink_write(w, buf, RENDER_BLOCK, err) < 0)
			goto out;
		t += RENDER_BLOCK;
	}
	st->frames = t;
	rc = 0;
out:
	mixer_stop_all(&m);
	render_reap(&m);
	if (timeline_close(tl, rc < 0 ? NULL : err) < 0)
		rc = -1;
	if (wavsink_close(w, rc < 0 ? NULL : err) < 0)
		rc = -1;
	return rc;
}
