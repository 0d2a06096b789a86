"""numpy side of the bench experiment `numpy-parity` (apps/bench/src/compositions/numpyParity.ts).

A line protocol on stdin/stdout so that the TypeScript side can interleave its own timings with
these in one run: each request is one JSON object per line, {"op": ..., "reps": k, ...params};
each answer is one JSON line {"ms": best wall time in ms of k repetitions} (or {"error": ...}).
The first line printed is {"ready": true, "numpy": version, "blas": ...}.

The TypeScript side starts this with OMP/OPENBLAS/MKL threads pinned to 1 and OPENBLAS_CORETYPE,
OPENBLAS_L2_SIZE removed from the environment of this command only (they slow numpy ~1.7x here).
Every workload mirrors what the TypeScript side times (same sizes, same distributions; numpy's own
random streams): see the docstring of each op.
"""

import json
import sys
import time

import numpy as np

RNG = np.random.default_rng(0)
CACHE = {}


def best_of(reps, f, warmup=True):
    if warmup:
        f()
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t0)
    return best * 1e3


def spd(n):
    key = ("spd", n)
    if key not in CACHE:
        a = RNG.standard_normal((n, n))
        s = a.T @ a / n + np.eye(n)
        CACHE[key] = s
    return CACHE[key]


def square(n):
    key = ("sq", n)
    if key not in CACHE:
        CACHE[key] = RNG.standard_normal((n, n))
    return CACHE[key]


def op_eigh(req):
    s = spd(req["n"])
    return best_of(req["reps"], lambda: np.linalg.eigh(s))


def op_svd(req):
    a = square(req["n"])
    return best_of(req["reps"], lambda: np.linalg.svd(a, full_matrices=False))


def op_cholesky(req):
    s = spd(req["n"])
    return best_of(req["reps"], lambda: np.linalg.cholesky(s))


def op_solve(req):
    a = square(req["n"])
    b = RNG.standard_normal(req["n"])
    return best_of(req["reps"], lambda: np.linalg.solve(a, b))


def op_gemm(req):
    n = req["n"]
    dt = np.float32 if req.get("dtype") == "float32" else np.float64
    a = RNG.standard_normal((n, n)).astype(dt)
    b = RNG.standard_normal((n, n)).astype(dt)
    return best_of(req["reps"], lambda: a @ b)


def op_wf(req):
    """Wirtinger-flow iterations (real case): Az = A z, r = (Az² − y) Az / m, g = Aᵀ r, z ← z − c g.
    Returns ms per iteration (best over reps of `iters` iterations)."""
    n = req["n"]
    m = req["m"]
    iters = req["iters"]
    A = RNG.standard_normal((m, n))
    x = RNG.standard_normal(n)
    x /= np.linalg.norm(x)
    y = (A @ x) ** 2
    z0 = x + 0.1 * np.sin(np.arange(1, n + 1))
    c = 0.1 / float(z0 @ z0)

    def run():
        z = z0.copy()
        for _ in range(iters):
            Az = A @ z
            r = (Az * Az - y) * Az / m
            g = A.T @ r
            z -= c * g
        return z

    return best_of(req["reps"], run) / iters


def hermite_h2h4():
    """σ = He₂/√2 + He₄/√24 (the package's default activation and link h₂ + h₄), and σ'."""
    s2 = 1 / np.sqrt(2.0)
    s4 = 1 / np.sqrt(24.0)

    def val(z):
        z2 = z * z
        return s2 * (z2 - 1) + s4 * (z2 * z2 - 6 * z2 + 3)

    def der(z):
        z2 = z * z
        return s2 * 2 * z + s4 * (4 * z2 * z - 12 * z)

    return val, der


def op_multi_index(req):
    """The spherical online SGD learner (Ren & Lee 2024) on a fresh stream: per step, X ~ N(0, I)
    (B×d), y = Σ_k σ(v_kᵀx), Z = X Wᵀ, residual r (correlation: y; squared: y − a₀ Σ σ(Z)),
    G = (r σ'(Z))ᵀ X / B, tangent projection, step, row normalisation. Returns the total ms."""
    d, m, P, B, steps, loss = req["d"], req["m"], req["P"], req["B"], req["steps"], req["loss"]
    a0 = 1 / 3
    lr1, lr2 = 0.02 / d, 0.004 / d
    val, der = hermite_h2h4()
    V = np.linalg.qr(RNG.standard_normal((d, P)))[0]

    def run():
        rng = np.random.default_rng(1)
        W = rng.standard_normal((m, d))
        W /= np.linalg.norm(W, axis=1, keepdims=True)
        for t in range(steps):
            lr = lr1 if t < steps // 2 else lr2
            X = rng.standard_normal((B, d))
            y = val(X @ V).sum(axis=1)
            Z = X @ W.T
            if loss == "squared":
                r = y - a0 * val(Z).sum(axis=1)
            else:
                r = y
            G = (der(Z) * r[:, None]).T @ X / B
            G -= (G * W).sum(axis=1, keepdims=True) * W
            W += lr * G
            W /= np.linalg.norm(W, axis=1, keepdims=True)
        return W

    return best_of(req["reps"], run, warmup=False)


OPS = {
    "eigh": op_eigh,
    "svd": op_svd,
    "cholesky": op_cholesky,
    "solve": op_solve,
    "gemm": op_gemm,
    "wf": op_wf,
    "multi-index": op_multi_index,
}


def blas_info():
    try:
        from threadpoolctl import threadpool_info

        return [{k: i.get(k) for k in ("internal_api", "num_threads", "architecture")} for i in threadpool_info()]
    except Exception:  # threadpoolctl is optional
        cfg = np.show_config(mode="dicts") if hasattr(np, "show_config") else {}
        try:
            return cfg["Build Dependencies"]["blas"]["name"]
        except Exception:
            return "unknown"


def main():
    print(json.dumps({"ready": True, "numpy": np.__version__, "blas": blas_info()}), flush=True)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            req = json.loads(line)
            f = OPS.get(req.get("op"))
            if f is None:
                raise ValueError("unknown op %r" % req.get("op"))
            print(json.dumps({"ms": f(req)}), flush=True)
        except Exception as e:  # report and keep serving
            print(json.dumps({"error": "%s: %s" % (type(e).__name__, e)}), flush=True)


if __name__ == "__main__":
    main()
