// Package execdiag turns a failed exec into a sentence that names the file,
// the cause and the fix: a CRLF #! line, a missing interpreter, a script
// without the execute bit. The kernel only says ENOENT or EACCES, which is how
// s6-overlay users end up reading "No such file or directory" for a file that
// plainly exists.
package execdiag
