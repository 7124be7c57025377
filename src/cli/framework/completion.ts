import type { AnyCommand, OptionDefinition } from './command.js'

/** A node of the command tree: a group (children) or a command (options). */
export interface CompletionNode {
  path: string
  words: Array<{ word: string; description: string }>
}

const optionWords = (options: readonly OptionDefinition[]) =>
  options.flatMap((o) =>
    o.flags
      .split(/[ ,|]+/)
      .filter((f) => f.startsWith('-'))
      .map((word) => ({ word, description: o.description })),
  )

/** Every path of the tree with what may follow it: sub-commands for groups, flags for commands. */
export function completionTree(
  commands: readonly AnyCommand[],
  groups: Readonly<Record<string, string>>,
  globals: readonly OptionDefinition[],
  extra: Array<{ path: string[]; summary: string }> = [],
): CompletionNode[] {
  const nodes = new Map<string, CompletionNode>()
  const node = (path: string) => {
    let n = nodes.get(path)
    if (!n) nodes.set(path, (n = { path, words: [] }))
    return n
  }
  node('')
  const leaves = [...commands.map((c) => ({ path: [...c.path], summary: c.summary, options: c.options ?? [] })), ...extra.map((e) => ({ ...e, options: [] }))]
  for (const c of leaves) {
    for (let i = 0; i < c.path.length; i++) {
      const parent = node(c.path.slice(0, i).join(' '))
      const word = c.path[i]!
      const description = i === c.path.length - 1 ? c.summary : (groups[c.path.slice(0, i + 1).join(' ')] ?? '')
      if (!parent.words.some((w) => w.word === word)) parent.words.push({ word, description })
    }
    node(c.path.join(' ')).words.push(...optionWords(c.options))
  }
  const globalWords = optionWords(globals)
  return [...nodes.values()]
    .map((n) => ({ ...n, words: n.words.some((w) => !w.word.startsWith('-')) ? n.words : [...n.words, ...globalWords] }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

const known = (tree: CompletionNode[]) => tree.filter((n) => n.path).map((n) => `"${n.path}"`)

export function bashScript(tree: CompletionNode[]): string {
  const cases = tree.map((n) => `    "${n.path}") words="${n.words.map((w) => w.word).join(' ')}" ;;`).join('\n')
  return `# kupe completion for bash. Load it with:  source <(kupe completion bash)
_kupe() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" kpath="" w i words=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ "$w" == -* ]] && continue
    case "\${kpath:+$kpath }$w" in
      ${known(tree).join('|')}) kpath="\${kpath:+$kpath }$w" ;;
    esac
  done
  case "$kpath" in
${cases}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _kupe kupe
`
}

/** Inside single quotes; `_describe` splits name from description at the first unescaped colon. */
const zshQuote = (s: string) => s.replace(/'/g, "'\\''")
const zshName = (s: string) => zshQuote(s.replace(/\\/g, '\\\\').replace(/:/g, '\\:'))

export function zshScript(tree: CompletionNode[]): string {
  const cases = tree
    .map((n) => `    ("${n.path}") choices=(${n.words.map((w) => `'${zshName(w.word)}:${zshQuote(w.description)}'`).join(' ')}) ;;`)
    .join('\n')
  return `#compdef kupe
# kupe completion for zsh. Load it with:  source <(kupe completion zsh)
_kupe() {
  local kpath="" w i
  local -a choices
  for ((i = 2; i < CURRENT; i++)); do
    w="\${words[i]}"
    [[ "$w" == -* ]] && continue
    case "\${kpath:+$kpath }$w" in
      (${known(tree).join('|')}) kpath="\${kpath:+$kpath }$w" ;;
    esac
  done
  case "$kpath" in
${cases}
  esac
  _describe 'kupe' choices
}
if (( $+functions[compdef] )); then compdef _kupe kupe; fi
`
}

const fishQuote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

export function fishScript(tree: CompletionNode[]): string {
  const lines = tree.flatMap((n) =>
    n.words.map((w) => {
      const cond = `-n 'test (__kupe_path) = ${fishQuote(n.path).replace(/'/g, '"')}'`
      const what = w.word.startsWith('--') ? `-l ${w.word.slice(2)}` : w.word.startsWith('-') ? `-s ${w.word.slice(1)}` : `-a ${fishQuote(w.word)}`
      return `complete -c kupe ${cond} ${what} -d ${fishQuote(w.description)}`
    }),
  )
  return `# kupe completion for fish. Load it with:  kupe completion fish | source
function __kupe_path
  set -l known ${tree.filter((n) => n.path).map((n) => fishQuote(n.path)).join(' ')}
  set -l kpath ''
  for w in (commandline -opc)[2..-1]
    string match -q -- '-*' $w; and continue
    set -l candidate (string trim -- "$kpath $w")
    if contains -- $candidate $known
      set kpath $candidate
    end
  end
  echo $kpath
end
complete -c kupe -f
${lines.join('\n')}
`
}
