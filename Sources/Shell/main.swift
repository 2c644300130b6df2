import Engine
print("ecgs — BLAS core: \(BLAS.coreDescription)")
