# Sourced by compare.sh and workload.sh: both sides bind their threads to the CPUs, one each, unless the caller set
# otherwise — ecgs with ECGS_PIN_THREADS=1 (Engine/Backend/ThreadPlacement.swift), PyTorch's OpenMP threads with
# OMP_PROC_BIND=close (6 % off its ECGFounder forward pass at L = 1000 in one A/B on 2026-11-30). Run PyTorch as
# `env $torch_env "$PYTHON" …`.
export ECGS_PIN_THREADS=${ECGS_PIN_THREADS:-1}
torch_env="OMP_PROC_BIND=${OMP_PROC_BIND:-close} OMP_PLACES=${OMP_PLACES:-cores}"
