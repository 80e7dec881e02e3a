/*
 * vm-clicker FIFO: a presenter remote, "USB Presenter", made with uinput
 * for the appliance rig. It lives while this process lives (vm-plug-clicker
 * starts it, vm-unplug-clicker ends it: a hot-plug as the daemon sees one)
 * and presses and releases each key named on a line of FIFO (KEY_PAGEDOWN).
 * After each key it writes the FIFO's name plus ".done" so vm-key can wait.
 */
#include <errno.h>
#include <fcntl.h>
#include <libevdev/libevdev-uinput.h>
#include <libevdev/libevdev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What a presenter remote has: next, previous, blank, start show, escape. */
static const char *const clicker_keys[] = {
	"KEY_PAGEDOWN", "KEY_PAGEUP", "KEY_B", "KEY_F5", "KEY_ESC", "KEY_ENTER", "KEY_SPACE",
	"KEY_RIGHT", "KEY_LEFT", "KEY_DOWN", "KEY_UP", "KEY_VOLUMEUP", "KEY_VOLUMEDOWN",
};

static int clicker_emit(struct libevdev_uinput *ui, unsigned code, int value)
{
	if (libevdev_uinput_write_event(ui, EV_KEY, code, value) < 0 ||
	    libevdev_uinput_write_event(ui, EV_SYN, SYN_REPORT, 0) < 0)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct libevdev *dev;
	struct libevdev_uinput *ui;
	char line[64], done[300];
	FILE *in;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: vm-clicker FIFO\n");
		return 2;
	}
	dev = libevdev_new();
	libevdev_set_name(dev, "USB Presenter");
	libevdev_set_id_bustype(dev, BUS_USB);
	libevdev_set_id_vendor(dev, 0x1d57);
	libevdev_set_id_product(dev, 0xad03);
	libevdev_enable_event_type(dev, EV_KEY);
	for (size_t i = 0; i < sizeof(clicker_keys) / sizeof(clicker_keys[0]); i++)
		libevdev_enable_event_code(dev, EV_KEY,
					   (unsigned)libevdev_event_code_from_name(EV_KEY, clicker_keys[i]),
					   NULL);
	rc = libevdev_uinput_create_from_device(dev, LIBEVDEV_UINPUT_OPEN_MANAGED, &ui);
	if (rc < 0) {
		fprintf(stderr, "vm-clicker: uinput: %s\n", strerror(-rc));
		return 1;
	}
	printf("vm-clicker: %s\n", libevdev_uinput_get_devnode(ui));
	fflush(stdout);
	/* Read-write, so the FIFO never reads EOF between writers. */
	in = fopen(argv[1], "r+");
	if (!in) {
		fprintf(stderr, "vm-clicker: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	snprintf(done, sizeof(done), "%s.done", argv[1]);
	while (fgets(line, sizeof(line), in)) {
		int code;
		FILE *d;

		line[strcspn(line, "\r\n")] = '\0';
		code = libevdev_event_code_from_name(EV_KEY, line);
		if (code < 0 || !libevdev_has_event_code(dev, EV_KEY, (unsigned)code)) {
			fprintf(stderr, "vm-clicker: no key %s\n", line);
		} else if (clicker_emit(ui, (unsigned)code, 1) < 0 || usleep(80000) < 0 ||
			   clicker_emit(ui, (unsigned)code, 0) < 0) {
			fprintf(stderr, "vm-clicker: write: %s\n", strerror(errno));
		}
		d = fopen(done, "w");
		if (d)
			fclose(d);
	}
	libevdev_uinput_destroy(ui);
	libevdev_free(dev);
	return 0;
}
