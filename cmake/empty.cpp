// Keeps a globbed library valid while its folder has no sources yet.
