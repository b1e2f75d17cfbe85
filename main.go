// Command asmlink connects Alibaba Cloud Service Mesh (ASM) control planes to
// ACK clusters in other VPCs over PrivateLink.
package main

import (
	"os"

	"github.com/asmlink/asmlink/ui/cmd/root"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

func main() {
	os.Exit(root.Main(cmdutil.System(), os.Args[1:]))
}
