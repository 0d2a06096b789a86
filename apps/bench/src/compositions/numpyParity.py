"""numpy side of the bench experiment `numpy-parity` (apps/bench/src/compositions/numpyParity.ts).

A line protocol on stdin/stdout so that the TypeScript side can interleave its own timings with
these in one run: each request is one JSON object per line, {"op": ..., "reps": k, ...params};
each answer is one JSON line {"ms": best wall time, "cpu_ms": best CPU time (time.process_time),
both in ms over k repetitions} (or {"error": ...}).
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


class Ms(tuple):
    """(wall ms, CPU ms) of one measurement; dividing divides both."""

    def __truediv__(self, k):
        return Ms((self[0] / k, self[1] / k))


def best_of(reps, f, warmup=True):
    """Best wall time (time.perf_counter) and best CPU time (time.process_time) in ms of reps calls."""
    if warmup:
        f()
    wall = float("inf")
    cpu = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        c0 = time.process_time()
        f()
        cpu = min(cpu, time.process_time() - c0)
        wall = min(wall, time.perf_counter() - t0)
    return Ms((wall * 1e3, cpu * 1e3))


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


def op_cmaes(req):
    """CMA-ES generations (Hansen 2016 tutorial, arXiv:1604.00772, with negative weights — active CMA —
    cumulative step-size adaptation and an eigendecomposition every generation, as at d ≥ 10 in
    pycma's lazy schedule) on the sphere. Returns ms per generation (objective included)."""
    d, gens = req["d"], req["gens"]
    lam = 4 + int(3 * np.log(d))
    mu = lam // 2
    wp = np.log((lam + 1) / 2) - np.log(np.arange(1, lam + 1))
    mueff = wp[:mu].sum() ** 2 / (wp[:mu] ** 2).sum()
    cc = (4 + mueff / d) / (d + 4 + 2 * mueff / d)
    cs = (mueff + 2) / (d + mueff + 5)
    c1 = 2 / ((d + 1.3) ** 2 + mueff)
    cmu = min(1 - c1, 2 * (mueff - 2 + 1 / mueff) / ((d + 2) ** 2 + mueff))
    ds = 1 + 2 * max(0, np.sqrt((mueff - 1) / (d + 1)) - 1) + cs
    mueffm = wp[mu:].sum() ** 2 / (wp[mu:] ** 2).sum()
    amu = 1 + c1 / cmu
    ameff = 1 + 2 * mueffm / (mueff + 2)
    apd = (1 - c1 - cmu) / (d * cmu)
    w = wp.copy()
    w[:mu] /= wp[:mu].sum()
    w[mu:] *= min(amu, ameff, apd) / -wp[mu:].sum()
    chin = np.sqrt(d) * (1 - 1 / (4 * d) + 1 / (21 * d * d))

    def run():
        rng = np.random.default_rng(2)
        m = np.full(d, 3.0)
        sigma = 0.5
        C = np.eye(d)
        B = np.eye(d)
        D = np.ones(d)
        ps = np.zeros(d)
        pc = np.zeros(d)
        for g in range(gens):
            z = rng.standard_normal((lam, d))
            y = (z * D) @ B.T
            x = m + sigma * y
            f = (x * x).sum(axis=1)
            idx = np.argsort(f)
            y = y[idx]
            z = z[idx]
            yw = w[:mu] @ y[:mu]
            m = m + sigma * yw
            ps = (1 - cs) * ps + np.sqrt(cs * (2 - cs) * mueff) * (B @ (B.T @ yw / D))
            hs = np.linalg.norm(ps) / np.sqrt(1 - (1 - cs) ** (2 * (g + 1))) < (1.4 + 2 / (d + 1)) * chin
            pc = (1 - cc) * pc + hs * np.sqrt(cc * (2 - cc) * mueff) * yw
            wo = w.copy()
            neg = wo < 0
            wo[neg] *= d / (np.linalg.norm(z[neg], axis=1) ** 2)
            C = (1 - c1 - cmu * w.sum()) * C + c1 * np.outer(pc, pc) + cmu * (y.T * wo) @ y
            sigma *= np.exp(cs / ds * (np.linalg.norm(ps) / chin - 1))
            C = np.triu(C) + np.triu(C, 1).T
            D2, B = np.linalg.eigh(C)
            D = np.sqrt(np.maximum(D2, 1e-300))
        return m

    return best_of(req["reps"], run) / gens


def op_svgd(req):
    """SVGD iterations (Liu & Wang's reference code, python/svgd.py): RBF kernel with the median
    heuristic h = med²/log(n+1), φ = (K ∇log p + Σ∇K)/n, AdaGrad with momentum; standard normal
    target. Returns ms per iteration."""
    n, d, iters = req["n"], req["d"], req["iters"]
    rng = np.random.default_rng(3)
    x0 = rng.standard_normal((n, d)) * 2 + 1

    def run():
        x = x0.copy()
        hist = np.zeros_like(x)
        for it in range(iters):
            lnpgrad = -x
            sq = (x * x).sum(axis=1)
            D = sq[:, None] + sq[None, :] - 2 * x @ x.T
            np.maximum(D, 0, out=D)
            h = np.median(D)
            h = np.sqrt(0.5 * h / np.log(n + 1))
            K = np.exp(-D / h ** 2 / 2)
            dxkxy = -K @ x
            sumkxy = K.sum(axis=1)
            dxkxy = (dxkxy + x * sumkxy[:, None]) / (h ** 2)
            grad = (K @ lnpgrad + dxkxy) / n
            hist = grad ** 2 if it == 0 else 0.9 * hist + 0.1 * grad ** 2
            x = x + 1e-3 * grad / (1e-6 + np.sqrt(hist))
        return x

    return best_of(req["reps"], run) / iters


# ---- FORKS round (issue 17's "FORKS rounds/s at equal settings"; owner of this op: K2) ----


def op_forks(req):
    """Steady-state FORKS rounds (packages/forks-okl `Forks` with its defaults: onSketchUpdate
    'carryAndRestart', two projected online-Newton learners on one feature map), started from the
    state the TypeScript side sends (support vectors SV_m of the sampled columns, Q, kernel width,
    both learners' w and A⁻¹, their discounted hinge losses) and run on the same rows. Per round:
    φ = Qᵀ κ(SV_m, x) (RBF), the two scores, the prediction of the learner with the smaller loss,
    each learner's hinge loss, and on its margin error its projected Newton step (a = A⁻¹φ,
    w += γa, projection onto |wᵀφ| ≤ C, A⁻¹ −= s²aaᵀ/(1 + s²φᵀa)). No sketch update falls in the
    segment (the TypeScript side sets the update cycle beyond it). Returns ms per round and the
    predicted scores of the last repetition (the equal-work check)."""
    sm, k, d, T = req["sm"], req["k"], req["d"], req["T"]
    svm = np.asarray(req["svm"], dtype=np.float64).reshape(sm, d)
    Q = np.asarray(req["Q"], dtype=np.float64).reshape(sm, k)
    X = np.asarray(req["X"], dtype=np.float64).reshape(T, d)
    y = np.asarray(req["y"], dtype=np.float64)
    w0 = [np.asarray(req["w"][e], dtype=np.float64) for e in range(2)]
    A0 = [np.asarray(req["Ainv"][e], dtype=np.float64).reshape(k, k) for e in range(2)]
    loss0 = [float(v) for v in req["expertLoss"]]
    g = 1.0 / (2.0 * req["bandwidth"] * req["bandwidth"])
    lr, C, guard, sigma = req["learningRate"], req["bound"], req["guard"], req["sigma"]
    hinge = req["loss"] == "hinge"
    out = {}

    def run():
        w = [v.copy() for v in w0]
        A = [M.copy() for M in A0]
        L = list(loss0)
        scores = np.empty(T)
        for t in range(T):
            diff = svm - X[t]
            km = np.exp(-np.einsum("ij,ij->i", diff, diff) * g)
            phi = km @ Q
            s = (w[0] @ phi, w[1] @ phi)
            scores[t] = s[1] if L[1] < L[0] else s[0]
            yt = y[t]
            for e in (0, 1):
                L[e] += max(0.0, 1.0 - yt * s[e])
                if yt * s[e] < 1:
                    gam = lr * (yt if hinge else 2 * yt * (1 - yt * s[e]))
                    a = A[e] @ phi
                    pa = phi @ a
                    w[e] += gam * a
                    z = phi @ w[e]
                    excess = abs(z) - C
                    if excess > 0:
                        w[e] -= (np.sign(z) * excess / (pa + guard)) * a
                    sc = gam / sigma
                    if sc != 0:
                        a *= sc
                        A[e] -= np.outer(a, a) * (1.0 / (1.0 + sc * sc * pa))
        out["scores"] = scores

    ms = best_of(req["reps"], run) / T
    return {"ms": ms, "scores": out["scores"].tolist()}


OPS = {
    "eigh": op_eigh,
    "svd": op_svd,
    "cholesky": op_cholesky,
    "solve": op_solve,
    "gemm": op_gemm,
    "wf": op_wf,
    "multi-index": op_multi_index,
    "cmaes": op_cmaes,
    "svgd": op_svgd,
    "forks": op_forks,
}


def blas_info():
    try:
        from threadpoolctl import threadpool_info

        return [{k: i.get(k) for k in ("internal_api", "num_threads", "architecture")} for i in threadpool_info()]
    except Exception:  # threadpoolctl is optional
        pass
    try:  # numpy ≥ 1.25
        return np.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"]
    except Exception:  # older numpy (e.g. Debian's 1.24, linked against the system's libblas.so.3)
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
            r = f(req)
            if isinstance(r, dict):  # an op that sends data back: its "ms" is an Ms (wall, CPU)
                wall, cpu = r["ms"]
                r = {**r, "ms": wall, "cpu_ms": cpu}
            else:
                wall, cpu = r
                r = {"ms": wall, "cpu_ms": cpu}
            print(json.dumps(r), flush=True)
        except Exception as e:  # report and keep serving
            print(json.dumps({"error": "%s: %s" % (type(e).__name__, e)}), flush=True)


if __name__ == "__main__":
    main()
