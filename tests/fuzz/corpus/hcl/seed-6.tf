# starts with a byte order mark
locals {
	uses_tabs = "yes" # déjà
}