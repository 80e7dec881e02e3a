#!/usr/bin/env python3
"""Generate limber's chime samples.

Writes hold-start.wav, hold-end.wav, switch-sides.wav, tick.wav and key.wav
next to this script: 48000 Hz, mono, 16-bit PCM.

Only the Python standard library is used.  The output is deterministic:
running the script twice gives byte-identical files (the only randomness is
the tick's tiny noise transient, drawn from a fixed-seed generator).

Usage:  python3 sounds/make-chimes.py

The generated samples are dedicated to the public domain under CC0 1.0;
see LICENSE.md in this directory.
"""

import math
import os
import random
import struct
import wave

RATE = 48000
SEED = 20240611  # fixed seed: deterministic output

# Inharmonic bell partials: (frequency ratio, relative amplitude).
# Higher partials are quieter and (see strike()) decay faster.
BRIGHT_BELL = [(1.0, 1.00), (2.0, 0.55), (2.76, 0.40), (5.40, 0.22), (8.93, 0.10)]
WARM_BELL = [(0.5, 0.30), (1.0, 1.00), (2.0, 0.40), (2.76, 0.22), (5.40, 0.08)]
SOFT_BELL = [(1.0, 1.00), (2.0, 0.35), (2.76, 0.22), (5.40, 0.07)]

FADE_OUT_S = 0.020  # last 20 ms faded to exactly zero


def silence(duration_s):
    return [0.0] * int(round(duration_s * RATE))


def strike(buf, start_s, f0, partials, tau_s, amp=1.0, attack_s=0.004,
           detune=0.0015):
    """Add one bell strike into buf (list of floats), in place.

    tau_s is the 1/e decay time of the fundamental; a partial with ratio
    r > 1 decays with tau_s / r**0.7, so higher partials die away sooner
    (a sub-partial, r < 1, decays like the fundamental).  Each
    partial is doubled by a slightly detuned copy for a gentle shimmer.
    The attack is a raised cosine of attack_s (a few ms: no click).
    """
    start = int(round(start_s * RATE))
    n_attack = max(1, int(round(attack_s * RATE)))
    comps = []
    for ratio, a in partials:
        f = f0 * ratio
        tau = tau_s / (max(ratio, 1.0) ** 0.7)
        comps.append((2.0 * math.pi * f / RATE, a * 0.8, tau))
        comps.append((2.0 * math.pi * f * (1.0 + detune) / RATE, a * 0.2, tau))
    for i in range(start, len(buf)):
        n = i - start
        t = n / RATE
        if n < n_attack:
            env = 0.5 - 0.5 * math.cos(math.pi * n / n_attack)
        else:
            env = 1.0
        s = 0.0
        for w, a, tau in comps:
            s += a * math.exp(-t / tau) * math.sin(w * n)
        buf[i] += amp * env * s


def finish(buf, peak_dbfs):
    """Fade the last 20 ms to exactly zero, normalise the peak, quantise."""
    n_fade = int(round(FADE_OUT_S * RATE))
    n = len(buf)
    for k in range(n_fade):
        i = n - n_fade + k
        # raised-cosine fade reaching exactly 0 at the last sample
        g = 0.5 + 0.5 * math.cos(math.pi * (k + 1) / n_fade)
        buf[i] *= g
    buf[-1] = 0.0
    peak = max(abs(x) for x in buf)
    target = 32767.0 * 10.0 ** (peak_dbfs / 20.0)
    scale = target / peak
    out = []
    for x in buf:
        v = int(round(x * scale))
        out.append(max(-32767, min(32767, v)))
    return out


def write_wav(path, samples):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(struct.pack("<%dh" % len(samples), *samples))


def hold_start():
    """Bright, rising: E5 then B5 (a fifth up), quick pick-up rhythm."""
    buf = silence(1.2)
    strike(buf, 0.000, 659.26, BRIGHT_BELL, tau_s=0.28, amp=0.75)
    strike(buf, 0.140, 987.77, BRIGHT_BELL, tau_s=0.28, amp=1.00)
    return finish(buf, -6.0)


def hold_end():
    """Warm, lower, falling: G5 then C5 (a fifth down), slow and ringing."""
    buf = silence(1.5)
    strike(buf, 0.000, 783.99, WARM_BELL, tau_s=0.30, amp=0.80,
           attack_s=0.005)
    strike(buf, 0.300, 523.25, WARM_BELL, tau_s=0.32, amp=1.00,
           attack_s=0.005)
    return finish(buf, -6.0)


def switch_sides():
    """Soft, even "ding-ding" on one mid pitch (F#5), short damped notes."""
    buf = silence(1.0)
    strike(buf, 0.000, 739.99, SOFT_BELL, tau_s=0.16, amp=1.0)
    strike(buf, 0.220, 739.99, SOFT_BELL, tau_s=0.16, amp=1.0)
    return finish(buf, -6.0)


def tick(rng):
    """Very short, soft wood-block-like tick (~0.15 s)."""
    buf = silence(0.15)
    wood = [(1.0, 1.00), (2.57, 0.35), (4.21, 0.12)]
    strike(buf, 0.0, 1100.0, wood, tau_s=0.022, attack_s=0.0015, detune=0.0)
    # a tiny low-passed noise transient for the "knock" of the mallet
    n_noise = int(0.004 * RATE)
    lp = 0.0
    for i in range(n_noise):
        lp += 0.25 * (rng.uniform(-1.0, 1.0) - lp)
        env = math.sin(math.pi * i / n_noise)
        buf[i] += 0.25 * env * lp
    return finish(buf, -12.0)


def key():
    """Tiny neutral confirmation blip (~0.08 s)."""
    buf = silence(0.08)
    strike(buf, 0.0, 1000.0, [(1.0, 1.0), (2.0, 0.15)], tau_s=0.014,
           attack_s=0.002, detune=0.0)
    return finish(buf, -12.0)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    rng = random.Random(SEED)
    files = [
        ("hold-start.wav", hold_start()),
        ("hold-end.wav", hold_end()),
        ("switch-sides.wav", switch_sides()),
        ("tick.wav", tick(rng)),
        ("key.wav", key()),
    ]
    for name, samples in files:
        path = os.path.join(here, name)
        write_wav(path, samples)
        print("wrote %s (%d samples, %.3f s)"
              % (path, len(samples), len(samples) / RATE))


if __name__ == "__main__":
    main()
