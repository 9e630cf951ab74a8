#include "iamcross/diag.h"
#include <stdio.h>
int main(void) { printf("%s\n", rule_get(RULE_JSON_SYNTAX)->name); return 0; }
