/*
 * chimes: a small name-to-sound table over sounds/. There are a handful of
 * chimes, so a list is the right structure.
 */
#include "chimes.h"

#include "pcm.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct chime {
	struct chime *next;
	char *file;
	struct pcm *pcm;
};

struct chimes {
	const struct library *lib;
	unsigned rate;
	struct chime *list;
};

struct chimes *chimes_new(const struct library *lib, unsigned rate)
{
	struct chimes *c = util_xcalloc(1, sizeof(*c));

	c->lib = lib;
	c->rate = rate;
	return c;
}

void chimes_free(struct chimes *c)
{
	struct chime *ch, *next;

	if (!c)
		return;
	for (ch = c->list; ch; ch = next) {
		next = ch->next;
		pcm_unref(ch->pcm);
		free(ch->file);
		free(ch);
	}
	free(c);
}

int chimes_get(struct chimes *c, const char *file, struct pcm **out, char *err)
{
	struct chime *ch;
	char *path;

	for (ch = c->list; ch; ch = ch->next) {
		if (!strcmp(ch->file, file)) {
			*out = pcm_ref(ch->pcm);
			return 0;
		}
	}
	path = library_find(c->lib, "sounds", file);
	if (!path)
		return util_err(err, "sound sounds/%s not found (is limber installed?)", file);
	ch = util_xcalloc(1, sizeof(*ch));
	if (pcm_load(path, c->rate, &ch->pcm, err) < 0) {
		free(path);
		free(ch);
		return -1;
	}
	free(path);
	ch->file = util_xstrdup(file);
	ch->next = c->list;
	c->list = ch;
	*out = pcm_ref(ch->pcm);
	return 0;
}
