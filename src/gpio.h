/*
 * gpio: one button on a GPIO line, through libgpiod, v1 (Debian 12,
 * Raspberry Pi OS Bookworm) or v2 (Debian 13, Trixie) as the build found.
 * The chip is found by label, name or path and the line by name, never by
 * number; the line is an input with pull-up bias, both edges, so a button
 * wired to ground reads "pressed" when low. Debouncing is button.c's, on
 * the kernel's event timestamps (CLOCK_MONOTONIC).
 *
 * This is the thin layer over the hardware: everything above it (remote.c,
 * button.c) is tested with edges fed in by hand.
 */
#ifndef LIMBER_GPIO_H
#define LIMBER_GPIO_H

#include <stdint.h>

struct gpio_button;

/* Request the line. 0, or -1 with the reason in err (no such chip, line, permission). */
int gpio_open(const char *chip, const char *line, struct gpio_button **out, char *err);
/* The descriptor to poll for edges. */
int gpio_fd(const struct gpio_button *g);
/*
 * Read one edge: 1 with *pressed and *t_ms (CLOCK_MONOTONIC), 0 if none is
 * waiting, -1 if the line is gone.
 */
int gpio_read(struct gpio_button *g, int *pressed, int64_t *t_ms);
void gpio_close(struct gpio_button *g);

#endif
