/*
 * firstsound: the first frame of a WAV file louder than -50 dBFS, or -1.
 *
 *   firstsound FILE.wav
 */
#include <math.h>
#include <sndfile.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	SF_INFO info = { 0 };
	SNDFILE *f;
	float buf[4096];
	long long frame = 0;
	sf_count_t got;
	const float floor = powf(10.0f, -50.0f / 20.0f);

	if (argc != 2 || !(f = sf_open(argv[1], SFM_READ, &info))) {
		fprintf(stderr, "usage: firstsound FILE.wav\n");
		return 2;
	}
	while ((got = sf_readf_float(f, buf, (sf_count_t)(sizeof(buf) / sizeof(buf[0])) / info.channels)) > 0) {
		for (sf_count_t i = 0; i < got; i++, frame++) {
			if (fabsf(buf[i * info.channels]) > floor) {
				printf("%lld\n", frame);
				sf_close(f);
				return 0;
			}
		}
	}
	sf_close(f);
	printf("-1\n");
	return 1;
}
