/** Images imported by the admin are bundled by Vite, which gives their URL. */
declare module '*.svg' {
  const url: string;
  export default url;
}
