/*
 * render: a whole session to a WAV file (and its timeline), offline and
 * as fast as synthesis allows, streaming block by block so memory stays
 * small however long the routine is.
 */
#ifndef LIMBER_RENDER_H
#define LIMBER_RENDER_H

#include "engine.h"

struct render_stats {
	uint64_t frames;
	size_t events;
	size_t sounds;
	size_t dropped;     /* sounds the mixer had no room for (should be 0) */
};

int render_run(struct engine *e, const char *wav_path, const char *timeline_path,
	       struct render_stats *st, char *err);

#endif
