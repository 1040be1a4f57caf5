// The panel's button looks, in one place (account pages; older pages still spell theirs out).
const base = 'inline-flex items-center justify-center rounded-md font-medium focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-not-allowed disabled:opacity-60'

export const buttonStyles = {
  primary: `${base} bg-brand-600 px-4 py-2.5 text-white hover:bg-brand-700`,
  secondary: `${base} border border-stone-300 bg-white px-4 py-2.5 text-stone-800 hover:bg-stone-50`,
  small: `${base} border border-stone-300 bg-white px-3 py-1.5 text-sm text-stone-800 hover:bg-stone-50`,
  danger: `${base} bg-red-700 px-4 py-2.5 text-white hover:bg-red-800`,
} as const
