// Package manifest records what an image contains — Debian, Python, R and
// npm packages with versions, and the image size — by running the image once
// with no network, and compares two such records.
package manifest
