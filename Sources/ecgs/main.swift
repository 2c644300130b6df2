import Shell

// The `ecgs` executable; everything it does lives in the Shell library (which the tests and the fuzz
// harnesses import too).
EcgsMain.run()
