/*
 * Sample traced program: a tiny compiler and interpreter. It compiles a small stack language
 * (numbers, variables a-z, + - * < =, `?` jump-if-zero and `:` jump to labels) to bytecode and
 * runs it: the program counts the primes below 600 by trial division.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, MOD, LESS, JZ, JMP, PRINT, HALT };

typedef struct { int op, arg; } Instr;

static const char *SOURCE =
    "2 n= 0 c= "
    "L0 n 600 < ?L5 "
    "2 d= 1 p= "
    "L1 d d * n 1 + < ?L3 "
    "n d % ?L2 d 1 + d= :L1 "
    "L2 0 p= "
    "L3 c p + c= n 1 + n= :L0 "
    "L5 c . ";

static Instr code[1024];
static int labels[16], fixups[64][2], nfix, ncode;

static void emit(int op, int arg) { code[ncode].op = op; code[ncode++].arg = arg; }

static void compile(const char *s) {
  while (*s) {
    if (isspace((unsigned char)*s)) { s++; continue; }
    if (isdigit((unsigned char)*s)) { emit(PUSH, (int)strtol(s, (char **)&s, 10)); continue; }
    if (*s == 'L' && isdigit((unsigned char)s[1])) { labels[s[1] - '0'] = ncode; s += 2; continue; }
    if ((*s == '?' || *s == ':') && s[1] == 'L') {
      fixups[nfix][0] = ncode; fixups[nfix++][1] = s[2] - '0';
      emit(*s == '?' ? JZ : JMP, 0); s += 3; continue;
    }
    if (islower((unsigned char)*s)) {
      if (s[1] == '=') { emit(STORE, *s - 'a'); s += 2; } else { emit(LOAD, *s - 'a'); s++; }
      continue;
    }
    switch (*s++) {
      case '+': emit(ADD, 0); break;
      case '-': emit(SUB, 0); break;
      case '*': emit(MUL, 0); break;
      case '%': emit(MOD, 0); break;
      case '<': emit(LESS, 0); break;
      case '.': emit(PRINT, 0); break;
      default: fprintf(stderr, "bad program\n"); exit(1);
    }
  }
  emit(HALT, 0);
  for (int i = 0; i < nfix; i++) code[fixups[i][0]].arg = labels[fixups[i][1]];
}

static void run(void) {
  int stack[256], vars[26] = {0}, sp = 0;
  for (int pc = 0;;) {
    Instr in = code[pc++];
    switch (in.op) {
      case PUSH: stack[sp++] = in.arg; break;
      case LOAD: stack[sp++] = vars[in.arg]; break;
      case STORE: vars[in.arg] = stack[--sp]; break;
      case ADD: sp--; stack[sp - 1] += stack[sp]; break;
      case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
      case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
      case MOD: sp--; stack[sp - 1] %= stack[sp]; break;
      case LESS: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
      case JZ: if (stack[--sp] == 0) pc = in.arg; break;
      case JMP: pc = in.arg; break;
      case PRINT: printf("%d\n", stack[--sp]); break;
      case HALT: return;
    }
  }
}

int main(void) {
  compile(SOURCE);
  run();
  return 0;
}
