import type { Config } from 'tailwindcss'

export default {
  content: ['./components/**/*.vue', './layouts/**/*.vue', './pages/**/*.vue', './app.vue', './error.vue'],
  theme: {
    extend: {
      colors: {
        brand: { 50: '#f1f7f4', 100: '#dcece3', 500: '#3f8a64', 600: '#2f704f', 700: '#275a41', 900: '#17342a' },
      },
    },
  },
  plugins: [],
} satisfies Config
