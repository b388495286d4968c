// Command fakeinit stands in for nbinit in the build tests: a static Go
// binary the builder cross-compiles and puts into the root image's context.
package main

import (
	"fmt"
	"runtime"
)

func main() { fmt.Println("fakeinit", runtime.GOARCH) }
