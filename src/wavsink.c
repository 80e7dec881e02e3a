/*
 * wavsink: stream float blocks into a 16-bit WAV file. libsndfile clips
 * rather than wraps if the mix ever exceeds full scale.
 */
#include "wavsink.h"

#include "util.h"

#include <sndfile.h>
#include <stdlib.h>
#include <string.h>

struct wavsink {
	SNDFILE *sf;
	char *path;
};

int wavsink_open(const char *path, unsigned rate, struct wavsink **out, char *err)
{
	SF_INFO info;
	SNDFILE *sf;
	struct wavsink *w;

	*out = NULL;
	memset(&info, 0, sizeof(info));
	info.samplerate = (int)rate;
	info.channels = 1;
	info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
	sf = sf_open(path, SFM_WRITE, &info);
	if (!sf)
		return util_err(err, "%s: cannot write: %s", path, sf_strerror(NULL));
	sf_command(sf, SFC_SET_CLIPPING, NULL, SF_TRUE);
	w = util_xcalloc(1, sizeof(*w));
	w->sf = sf;
	w->path = util_xstrdup(path);
	*out = w;
	return 0;
}

int wavsink_write(struct wavsink *w, const float *buf, size_t n, char *err)
{
	if (sf_writef_float(w->sf, buf, (sf_count_t)n) != (sf_count_t)n)
		return util_err(err, "%s: write failed: %s", w->path, sf_strerror(w->sf));
	return 0;
}

int wavsink_close(struct wavsink *w, char *err)
{
	int rc = 0;

	if (!w)
		return 0;
	if (sf_close(w->sf) != 0)
		rc = util_err(err, "%s: cannot finish the file", w->path);
	free(w->path);
	free(w);
	return rc;
}
