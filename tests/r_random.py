"""R's default random numbers, to rebuild published examples whose data R generated.

R's defaults are the Mersenne-Twister (Matsumoto and Nishimura 1998) seeded as
``set.seed`` does (a linear congruential scramble, 69069 x seed + 1, 50 times, then once
for each of the 625 words of state, the first being the position), and normal numbers
by inversion: two uniforms make one of 2^27 x u1 (its integer part) + u2, divided by
2^27, and ``qnorm`` of that (Wichura's AS 241, which ``statistics.NormalDist.inv_cdf``
also implements). Described in R's documentation, ``?RNGkind`` and ``?set.seed``.
"""

from statistics import NormalDist

N, M = 624, 397
MASK = 0xFFFFFFFF


class RRandom:
    """``set.seed(seed)`` and then ``rnorm``, as R does them by default."""

    def __init__(self, seed: int) -> None:
        seed &= MASK
        for _ in range(50):
            seed = (69069 * seed + 1) & MASK
        state = []
        for _ in range(N + 1):
            seed = (69069 * seed + 1) & MASK
            state.append(seed)
        self.mt = state[1:]
        self.mti = N

    def _genrand(self) -> float:
        mt = self.mt
        if self.mti >= N:
            for kk in range(N):
                y = (mt[kk] & 0x80000000) | (mt[(kk + 1) % N] & 0x7FFFFFFF)
                mt[kk] = mt[(kk + M) % N] ^ (y >> 1) ^ (0x9908B0DF if y & 1 else 0)
            self.mti = 0
        y = mt[self.mti]
        self.mti += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C5680
        y ^= (y << 15) & 0xEFC60000
        y ^= y >> 18
        return (y & MASK) * 2.3283064365386963e-10

    def unif(self) -> float:
        """``unif_rand()``: in (0, 1), never 0 or 1."""
        value = self._genrand()
        if value <= 0.0:
            return 0.5 * 2.328306437080797e-10
        if 1.0 - value <= 0.0:
            return 1.0 - 0.5 * 2.328306437080797e-10
        return value

    def rnorm(self, n: int, mean: float = 0.0, sd: float = 1.0) -> list[float]:
        """``rnorm(n, mean, sd)``."""
        big = 134217728
        out = []
        for _ in range(n):
            u = self.unif()
            u = int(big * u) + self.unif()
            out.append(mean + sd * NormalDist().inv_cdf(u / big))
        return out
